/** Session checks for Next.js server components (pages). Uses the process's one auth instance. */
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { services } from './services';

export interface PageUser {
  id: string;
  name: string;
  email: string;
  role: 'user' | 'admin';
}

/** Once per request: the signed-in layout and the page both ask. */
export const currentUser = cache(async (): Promise<PageUser | null> => {
  const session = await services().auth.api.getSession({ headers: await headers() });
  if (!session || session.user.banned) return null;
  const { id, name, email, role } = session.user;
  return { id, name, email, role: role === 'admin' ? 'admin' : 'user' };
});

/** Protected pages call this first: no session → /login, then back here after signing in. */
export async function requireUser(returnTo: string): Promise<PageUser> {
  const user = await currentUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(returnTo)}`);
  return user;
}

/** Admin pages: no session → /login; signed in but not an admin (now: the role is read per request) → 403. */
export async function requireAdmin(returnTo: string): Promise<PageUser> {
  const user = await requireUser(returnTo);
  if (user.role !== 'admin') forbidden();
  return user;
}
