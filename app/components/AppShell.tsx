'use client';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { authClient } from '@/lib/client/authClient';
import { useConnection } from '@/lib/client/hooks/useConnection';
import { CallProvider } from '@/lib/client/hooks/useCall';
import { closeSocket } from '@/lib/client/socket';
import { CallBanner } from './CallBanner';
import { CallStage } from './call/CallStage';

export interface ShellUser {
  id: string;
  name: string;
  role: 'user' | 'admin';
}

const statusText = {
  connecting: 'Connecting…',
  connected: 'Online',
  reconnecting: 'Reconnecting…',
  unauthorized: 'Signed out',
  refused: 'Disconnected',
} as const;

/** Signed-in chrome: header, connection indicator, sign-out, and the app-wide call state. */
export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  const { status, message } = useConnection();

  async function signOut() {
    closeSocket();
    await authClient.signOut();
    window.location.assign('/login');
  }

  return (
    <CallProvider me={{ id: user.id, name: user.name }}>
      <header className="topbar">
        <Link href="/lobby" className="brand">
          Confab
        </Link>
        <span className={`conn conn-${status}`} data-testid="connection-status" title={message ?? undefined}>
          {statusText[status]}
        </span>
        {user.role === 'admin' && (
          <Link href="/admin" className="nav-link" data-testid="admin-link">
            Admin
          </Link>
        )}
        <span className="spacer" />
        <span className="whoami" data-testid="whoami">
          {user.name}
          {user.role === 'admin' && <span className="badge">admin</span>}
        </span>
        <button type="button" className="button ghost" onClick={signOut}>
          Sign out
        </button>
      </header>
      {status === 'refused' && (
        <p className="banner error" role="alert">
          {message}
        </p>
      )}
      <CallBanner />
      <CallStage>{children}</CallStage>
    </CallProvider>
  );
}
