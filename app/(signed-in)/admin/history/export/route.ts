/**
 * GET /admin/history/export?from&to&user&kind → CSV of the matching past sessions. A route handler
 * is not behind a page, so it checks the session and the admin role itself.
 */
import { findSessions, HISTORY_EXPORT_MAX, parseHistoryQuery } from '@/lib/server/admin/history';
import { sessionsCsv } from '@/lib/server/admin/historyCsv';
import { services } from '@/lib/server/services';

export const dynamic = 'force-dynamic';

const text = (status: number, body: string) =>
  new Response(`${body}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });

export async function GET(req: Request): Promise<Response> {
  const { auth, db } = services();
  const session = await auth.api.getSession({ headers: req.headers });
  if (!session || session.user.banned) return text(401, 'Sign in to export sessions');
  if (session.user.role !== 'admin') return text(403, 'Only admins can export sessions');

  const { filter, problems } = parseHistoryQuery(Object.fromEntries(new URL(req.url).searchParams));
  if (problems.length) return text(400, problems.join('; '));
  const { sessions } = await findSessions(db, filter, { skip: 0, take: HISTORY_EXPORT_MAX });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(sessionsCsv(sessions), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="confab-sessions-${stamp}.csv"`,
      'cache-control': 'no-store',
    },
  });
}
