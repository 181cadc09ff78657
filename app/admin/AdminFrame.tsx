import Link from 'next/link';
import type { ReactNode } from 'react';
import { AppShell } from '@/app/components/AppShell';
import type { PageUser } from '@/lib/server/pageAuth';

const sections = [
  { key: 'live', href: '/admin', text: 'Live' },
  { key: 'history', href: '/admin/history', text: 'History' },
  { key: 'users', href: '/admin/users', text: 'Users' },
  { key: 'audit', href: '/admin/audit', text: 'Audit log' },
] as const;

export type AdminSection = (typeof sections)[number]['key'];

/** The admin pages' common chrome: the app header and the admin section tabs. */
export function AdminFrame({ user, active, children }: { user: PageUser; active: AdminSection; children: ReactNode }) {
  return (
    <AppShell user={user}>
      <main className="page wide admin">
        <div className="admin-head">
          <h1>Admin</h1>
          <nav aria-label="Admin sections" className="subnav">
            {sections.map((s) => (
              <Link key={s.key} href={s.href} aria-current={s.key === active ? 'page' : undefined}>
                {s.text}
              </Link>
            ))}
          </nav>
        </div>
        {children}
      </main>
    </AppShell>
  );
}
