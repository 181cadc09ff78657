/**
 * Past sessions (ended 1:1 calls and room meetings) for /admin/history and its CSV export: the
 * filter (date range, user, kind) parsed from the query string with zod, and the Prisma queries.
 */
import { z } from 'zod';
import type { Db } from '../db';
import { displayNameKey } from '../displayName';

export const HISTORY_PAGE_SIZE = 25;
/** The CSV export stops here; the page says so when a filter matches more. */
export const HISTORY_EXPORT_MAX = 10_000;

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
const day = z.preprocess(blankToUndefined, z.iso.date('Use a date like 2026-11-21').optional());

export const historyQuery = z
  .object({
    from: day,
    to: day,
    user: z.preprocess(blankToUndefined, z.string().trim().max(100, 'The user search is too long').optional()),
    kind: z.preprocess(blankToUndefined, z.enum(['P2P', 'ROOM'], 'Kind is P2P or ROOM').optional()),
    page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(1_000_000).default(1)),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '“From” must not be after “to”', path: ['to'] });

export type HistoryFilter = z.output<typeof historyQuery>;

export function parseHistoryQuery(params: Record<string, string | string[] | undefined>): {
  filter: HistoryFilter;
  problems: string[];
} {
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = historyQuery.safeParse(flat);
  if (parsed.success) return { filter: parsed.data, problems: [] };
  return { filter: { page: 1 }, problems: parsed.error.issues.map((i) => i.message) };
}

/** The query string for a filter (pagination links, the CSV link). */
export function historySearch(filter: HistoryFilter, page?: number): string {
  const params = new URLSearchParams();
  for (const key of ['from', 'to', 'user', 'kind'] as const) if (filter[key]) params.set(key, filter[key]!);
  if (page && page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `?${s}` : '';
}

export interface HistoryParticipant {
  name: string;
  role: string;
  joinedAt: Date | null;
  leftAt: Date | null;
  leaveReason: string | null;
}

export interface HistorySession {
  id: string;
  kind: 'P2P' | 'ROOM';
  /** The room's name, or "Caller → Callee". */
  title: string;
  startedAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  /** From answer (or start, for meetings) to end; null for calls never answered. */
  durationMs: number | null;
  endReason: string | null;
  participants: HistoryParticipant[];
}

function where(filter: HistoryFilter) {
  const key = filter.user ? displayNameKey(filter.user) : undefined;
  return {
    endedAt: { not: null },
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.from || filter.to
      ? {
          startedAt: {
            ...(filter.from ? { gte: new Date(`${filter.from}T00:00:00.000Z`) } : {}),
            ...(filter.to ? { lte: new Date(`${filter.to}T23:59:59.999Z`) } : {}),
          },
        }
      : {}),
    // nameKey and e-mail are stored lower-case: `contains` matches the same on SQLite and PostgreSQL.
    ...(key
      ? { participations: { some: { user: { OR: [{ nameKey: { contains: key } }, { email: { contains: key } }] } } } }
      : {}),
  };
}

export async function findSessions(
  db: Db,
  filter: HistoryFilter,
  range: { skip: number; take: number },
): Promise<{ sessions: HistorySession[]; total: number }> {
  const [rows, total] = await Promise.all([
    db.callSession.findMany({
      where: where(filter),
      orderBy: { startedAt: 'desc' },
      skip: range.skip,
      take: range.take,
      include: {
        room: { select: { name: true } },
        participations: { include: { user: { select: { name: true } } }, orderBy: { joinedAt: 'asc' } },
      },
    }),
    db.callSession.count({ where: where(filter) }),
  ]);
  const sessions = rows.map((r): HistorySession => {
    const participants = r.participations.map((p) => ({
      name: p.user.name,
      role: p.role,
      joinedAt: p.joinedAt,
      leftAt: p.leftAt,
      leaveReason: p.leaveReason,
    }));
    const caller = participants.find((p) => p.role === 'caller')?.name ?? '?';
    const callee = participants.find((p) => p.role === 'callee')?.name ?? '?';
    const kind = r.kind === 'ROOM' ? 'ROOM' : 'P2P';
    const from = r.answeredAt;
    return {
      id: r.id,
      kind,
      title: kind === 'ROOM' ? (r.room?.name ?? 'Deleted room') : `${caller} → ${callee}`,
      startedAt: r.startedAt,
      answeredAt: r.answeredAt,
      endedAt: r.endedAt,
      durationMs: from && r.endedAt ? Math.max(0, r.endedAt.getTime() - from.getTime()) : null,
      endReason: r.endReason,
      participants,
    };
  });
  return { sessions, total };
}
