import { findUsers, parseUsersQuery, USERS_PAGE_SIZE } from '@/lib/server/admin/users';
import { requireAdmin } from '@/lib/server/pageAuth';
import { services } from '@/lib/server/services';
import { AdminFrame } from '../AdminFrame';
import { Pager } from '../Pager';
import { UsersTable } from './UsersTable';

export const dynamic = 'force-dynamic';

export default async function UsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const me = await requireAdmin('/admin/users');
  const { q, page } = parseUsersQuery(await searchParams);
  const { users, total } = await findUsers(services().db, q, page);
  const pages = Math.max(1, Math.ceil(total / USERS_PAGE_SIZE));
  const href = (p: number) =>
    `/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), ...(p > 1 ? { page: String(p) } : {}) })}`;

  return (
    <AdminFrame active="users">
      <section className="panel">
        <form className="filters" method="get" role="search" aria-label="Search accounts">
          <label>
            Search
            <input type="search" name="q" placeholder="Name or e-mail" defaultValue={q} maxLength={100} />
          </label>
          <button type="submit" className="button primary">
            Search
          </button>
        </form>
        <p className="muted small">
          {total} account{total === 1 ? '' : 's'}
          {q ? ` matching “${q}”` : ''}. Disabling signs the user out everywhere at once and blocks sign-in.
        </p>
        {users.length === 0 ? (
          <p className="empty muted">{q ? 'No account matches this search.' : 'There are no accounts yet.'}</p>
        ) : (
          <UsersTable users={users.map((u) => ({ ...u, createdAt: u.createdAt.toISOString() }))} meId={me.id} />
        )}
        <Pager page={page} pages={pages} href={href} />
      </section>
    </AdminFrame>
  );
}
