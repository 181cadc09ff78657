/**
 * The audit log: one row per admin action, written after the action succeeded and before the
 * admin's ack, so an acknowledged action is always on record. Rows are never updated.
 */
import type { AuditAction } from '../../protocol';
import type { Db } from '../db';
import type { SocketUser } from '../realtime/types';

export interface AuditTarget {
  type: 'room' | 'call' | 'user';
  id: string;
  /** What the target was called at the time (it may be renamed or deleted later). */
  label: string;
}

export interface AuditEntry {
  id: string;
  at: Date;
  actorId: string | null;
  actorName: string;
  /** An AuditAction; kept as stored, so rows written by a newer version still show. */
  action: string;
  target: AuditTarget;
  detail: Record<string, unknown> | null;
}

export const AUDIT_PAGE_SIZE = 50;

export class AuditLog {
  constructor(private readonly db: Db) {}

  async record(actor: SocketUser, action: AuditAction, target: AuditTarget, detail?: Record<string, unknown>) {
    await this.db.auditLog.create({
      data: {
        actorId: actor.id,
        actorName: actor.name,
        action,
        targetType: target.type,
        targetId: target.id,
        targetLabel: target.label,
        detail: detail ? JSON.stringify(detail) : null,
      },
    });
  }
}

/** One page of the log, newest first (the /admin/audit page). */
export async function auditPage(db: Db, page: number): Promise<{ entries: AuditEntry[]; total: number }> {
  const [rows, total] = await Promise.all([
    db.auditLog.findMany({ orderBy: { createdAt: 'desc' }, skip: (page - 1) * AUDIT_PAGE_SIZE, take: AUDIT_PAGE_SIZE }),
    db.auditLog.count(),
  ]);
  const entries = rows.map((r) => ({
    id: r.id,
    at: r.createdAt,
    actorId: r.actorId,
    actorName: r.actorName,
    action: r.action,
    target: { type: r.targetType as AuditTarget['type'], id: r.targetId, label: r.targetLabel },
    detail: parseDetail(r.detail),
  }));
  return { entries, total };
}

function parseDetail(raw: string | null): Record<string, unknown> | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
