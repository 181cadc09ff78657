import { auditActionText, type AuditAction } from '@/lib/protocol';
import { AUDIT_PAGE_SIZE, auditPage } from '@/lib/server/admin/audit';
import { requireAdmin } from '@/lib/server/pageAuth';
import { services } from '@/lib/server/services';
import { AdminFrame } from '../AdminFrame';
import { formatDateTime } from '../format';
import { Pager } from '../Pager';

export const dynamic = 'force-dynamic';

const actionText = (action: string) => auditActionText[action as AuditAction] ?? action;

function describe(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  if (typeof detail.name === 'string') return detail.name;
  if (Array.isArray(detail.participants))
    return `${detail.participants.length} in the room: ${detail.participants.join(', ')}`;
  if (typeof detail.reason === 'string') return `Reason: ${detail.reason}`;
  return '';
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireAdmin('/admin/audit');
  const raw = Number((await searchParams).page);
  const page = Number.isInteger(raw) && raw > 0 ? raw : 1;
  const { entries, total } = await auditPage(services().db, page);
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));

  return (
    <AdminFrame active="audit">
      <section className="panel">
        <p className="muted small">Every action taken from this dashboard, newest first (times in UTC).</p>
        {entries.length === 0 ? (
          <p className="empty muted" data-testid="audit-empty">
            No admin action yet. Ending a room or a call, removing someone, disabling an account or changing a role
            shows up here.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="admin-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Admin</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                    <td>{formatDateTime(e.at)}</td>
                    <td>{e.actorName}</td>
                    <th scope="row">{actionText(e.action)}</th>
                    <td>
                      {e.target.label} <span className="muted small">({e.target.type})</span>
                    </td>
                    <td>{describe(e.detail)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager page={page} pages={pages} href={(p) => `/admin/audit${p > 1 ? `?page=${p}` : ''}`} />
      </section>
    </AdminFrame>
  );
}
