import {
  findSessions,
  HISTORY_EXPORT_MAX,
  HISTORY_PAGE_SIZE,
  historySearch,
  parseHistoryQuery,
} from '@/lib/server/admin/history';
import { requireAdmin } from '@/lib/server/pageAuth';
import { services } from '@/lib/server/services';
import { AdminFrame } from '../AdminFrame';
import { formatDateTime, formatDuration } from '../format';
import { Pager } from '../Pager';

export const dynamic = 'force-dynamic';

type Params = Record<string, string | string[] | undefined>;

export default async function HistoryPage({ searchParams }: { searchParams: Promise<Params> }) {
  const user = await requireAdmin('/admin/history');
  const { filter, problems } = parseHistoryQuery(await searchParams);
  const { sessions, total } = await findSessions(services().db, filter, {
    skip: (filter.page - 1) * HISTORY_PAGE_SIZE,
    take: HISTORY_PAGE_SIZE,
  });
  const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
  const filtered = !!(filter.from || filter.to || filter.user || filter.kind);

  return (
    <AdminFrame active="history">
      <section className="panel">
        <form className="filters" method="get" aria-label="Filter sessions">
          <label>
            From
            <input type="date" name="from" defaultValue={filter.from} />
          </label>
          <label>
            To
            <input type="date" name="to" defaultValue={filter.to} />
          </label>
          <label>
            User
            <input type="search" name="user" placeholder="Name or e-mail" defaultValue={filter.user} maxLength={100} />
          </label>
          <label>
            Kind
            <select name="kind" defaultValue={filter.kind ?? ''}>
              <option value="">All</option>
              <option value="P2P">1:1 calls</option>
              <option value="ROOM">Rooms</option>
            </select>
          </label>
          <button type="submit" className="button primary">
            Filter
          </button>
          {filtered && (
            <a className="button ghost" href="/admin/history">
              Clear
            </a>
          )}
          <span className="spacer" />
          <a className="button" href={`/admin/history/export${historySearch(filter)}`} download>
            Export CSV
          </a>
        </form>
        {problems.length > 0 && (
          <p className="notice error" role="alert">
            {problems.join(' · ')}. Showing all sessions instead.
          </p>
        )}
        <p className="muted small" data-testid="history-total">
          {total} past session{total === 1 ? '' : 's'}
          {filtered ? ' match' : ''} (times in UTC)
          {total > HISTORY_EXPORT_MAX ? `; the export holds the newest ${HISTORY_EXPORT_MAX}` : ''}
        </p>
        {sessions.length === 0 ? (
          <p className="empty muted" data-testid="history-empty">
            {filtered
              ? 'No past session matches this filter.'
              : 'No session has ended yet. Calls and meetings show up here once they end.'}
          </p>
        ) : (
          <div className="table-scroll">
            <table className="admin-table">
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Session</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Participants</th>
                  <th scope="col">Ended because</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.id} data-testid="history-row">
                    <td>{formatDateTime(s.startedAt)}</td>
                    <td>{s.kind === 'ROOM' ? 'Room' : '1:1'}</td>
                    <th scope="row">{s.title}</th>
                    <td>
                      {s.durationMs === null ? (
                        <span className="muted">not answered</span>
                      ) : (
                        formatDuration(s.durationMs)
                      )}
                    </td>
                    <td>
                      {s.participants
                        .filter((p) => p.joinedAt)
                        .map((p) => p.name)
                        .join(', ') || <span className="muted">nobody joined</span>}
                    </td>
                    <td>{s.endReason ?? '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager page={filter.page} pages={pages} href={(p) => `/admin/history${historySearch(filter, p)}`} />
      </section>
    </AdminFrame>
  );
}
