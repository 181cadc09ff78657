'use client';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { authClient } from '@/lib/client/authClient';

type Mode = 'login' | 'register';

/** Only same-site paths are allowed as a return address (no open redirect). */
function safeNext(raw: string | null): string {
  return raw && raw.startsWith('/') && !raw.startsWith('//') ? raw : '/lobby';
}

function explain(error: { status?: number; message?: string; code?: string }): string {
  if (error.status === 429) return 'Too many attempts. Wait a minute and try again.';
  if (error.code === 'INVALID_EMAIL_OR_PASSWORD') return 'Wrong email or password.';
  if (error.code === 'USER_ALREADY_EXISTS' || error.code === 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL') {
    return 'An account with this email already exists. Sign in instead.';
  }
  if (error.code === 'BANNED_USER') return 'This account is disabled. Contact your admin.';
  return error.message || 'Something went wrong. Try again.';
}

export function AuthView({ mode }: { mode: Mode }) {
  const router = useRouter();
  const next = safeNext(useSearchParams().get('next'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    setBusy(true);
    setError(null);
    try {
      const result =
        mode === 'login'
          ? await authClient.signIn.email({ email, password })
          : await authClient.signUp.email({ email, password, name: String(form.get('name') ?? '').trim() });
      if (result.error) {
        setError(explain(result.error));
        return;
      }
      router.replace(next);
      router.refresh();
    } catch {
      setError('Could not reach the server. Check your connection.');
    } finally {
      setBusy(false);
    }
  }

  const register = mode === 'register';
  return (
    <main className="centered">
      <form className="card auth" onSubmit={onSubmit} aria-busy={busy}>
        <h1 className="brand">Confab</h1>
        <h2>{register ? 'Create your account' : 'Sign in'}</h2>
        {register && (
          <label>
            Display name
            <input name="name" required maxLength={40} autoComplete="nickname" placeholder="How others see you" />
          </label>
        )}
        <label>
          Email
          <input name="email" type="email" required autoComplete="email" />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            required
            minLength={8}
            maxLength={128}
            autoComplete={register ? 'new-password' : 'current-password'}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Please wait…' : register ? 'Create account' : 'Sign in'}
        </button>
        <p className="muted small">
          {register ? (
            <>
              Already have an account? <Link href={`/login?next=${encodeURIComponent(next)}`}>Sign in</Link>
            </>
          ) : (
            <>
              New here? <Link href={`/register?next=${encodeURIComponent(next)}`}>Create an account</Link>
            </>
          )}
        </p>
      </form>
    </main>
  );
}
