/** Accounts for /admin/users: a name / e-mail search, paginated. */
import { z } from 'zod';
import type { UserRole } from '../../protocol';
import type { Db } from '../db';
import { displayNameKey } from '../displayName';

export const USERS_PAGE_SIZE = 50;

const usersQuery = z.object({
  q: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().max(100).optional()).catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});

export interface AccountRow {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  disabled: boolean;
  banReason: string | null;
  createdAt: Date;
}

export function parseUsersQuery(params: Record<string, string | string[] | undefined>) {
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  return usersQuery.parse({ page: 1, ...flat });
}

export async function findUsers(
  db: Db,
  q: string | undefined,
  page: number,
): Promise<{ users: AccountRow[]; total: number }> {
  const key = q ? displayNameKey(q) : undefined;
  const where = key ? { OR: [{ nameKey: { contains: key } }, { email: { contains: key } }] } : {};
  const [rows, total] = await Promise.all([
    db.user.findMany({
      where,
      orderBy: { nameKey: 'asc' },
      skip: (page - 1) * USERS_PAGE_SIZE,
      take: USERS_PAGE_SIZE,
      select: { id: true, name: true, email: true, role: true, banned: true, banReason: true, createdAt: true },
    }),
    db.user.count({ where }),
  ]);
  return {
    users: rows.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      role: r.role === 'admin' ? 'admin' : 'user',
      disabled: !!r.banned,
      banReason: r.banReason,
      createdAt: r.createdAt,
    })),
    total,
  };
}
