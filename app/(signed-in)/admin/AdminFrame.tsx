import Link from 'next/link';
import type { ReactNode } from 'react';

const sections = [
  { key: 'live', href: '/admin', text: 'Live' },
  { key: 'history', href: '/admin/history', text: 'History' },
  { key: 'users', href: '/admin/users', text: 'Users' },
  { key: 'audit', href: '/admin/audit', text: 'Audit log' },
] as const;

export type AdminSection = (typeof sections)[number]['key'];

/** The admin pages' common chrome below the app header: the section tabs. */
export function AdminFrame({ active, children }: { active: AdminSection; children: ReactNode }) {
  return (
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
  );
}
