/**
 * Persists 1:1 calls as CallSession + Participation rows for the admin dashboard and history.
 * Writes for one call are chained so they land in order (start → answer → end) without making the
 * signalling path wait for the database; a failed write is logged, never thrown at a user.
 */
import type { CallEndReason, CallParty } from '../../protocol';
import type { Db } from '../db';
import type { Logger } from '../logger';

export interface RecordedCall {
  callId: string;
  callerId: string;
  calleeId: string;
  startedAt: number;
}

/** An answered call the previous web process was serving when it went down. */
export interface RestartedCall {
  caller: CallParty;
  callee: CallParty;
  startedAt: number;
  answeredAt: number;
}

export class CallRecords {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  started(call: RecordedCall, endedNow?: CallEndReason) {
    const at = new Date(call.startedAt);
    this.enqueue(call.callId, () =>
      this.db.callSession.create({
        data: {
          id: call.callId,
          kind: 'P2P',
          startedAt: at,
          createdById: call.callerId,
          ...(endedNow ? { endedAt: at, endReason: endedNow } : {}),
          participations: {
            create: [
              { userId: call.callerId, role: 'caller', joinedAt: at, ...(endedNow ? { leftAt: at, leaveReason: endedNow } : {}) },
              { userId: call.calleeId, role: 'callee' },
            ],
          },
        },
      }),
    );
    if (endedNow) this.forget(call.callId);
  }

  answered(callId: string, calleeId: string, at: number) {
    this.enqueue(callId, async () => {
      await this.db.callSession.update({ where: { id: callId }, data: { answeredAt: new Date(at) } });
      await this.db.participation.update({
        where: { sessionId_userId: { sessionId: callId, userId: calleeId } },
        data: { joinedAt: new Date(at) },
      });
    });
  }

  ended(callId: string, reason: CallEndReason, at: number) {
    const when = new Date(at);
    this.enqueue(callId, async () => {
      await this.db.callSession.update({ where: { id: callId }, data: { endedAt: when, endReason: reason } });
      await this.db.participation.updateMany({
        where: { sessionId: callId, joinedAt: { not: null }, leftAt: null },
        data: { leftAt: when, leaveReason: reason },
      });
    });
    this.forget(callId);
  }

  /**
   * The call `callId`, if a web-process restart ended it (reason server-restart) after it was
   * answered, less than `withinMs` ago, and `userId` was one of its two parties.
   */
  async restartedCall(callId: string, userId: string, withinMs: number, now = Date.now()): Promise<RestartedCall | null> {
    const session = await this.db.callSession.findUnique({
      where: { id: callId },
      include: { participations: { select: { role: true, user: { select: { id: true, name: true } } } } },
    });
    if (!session || session.kind !== 'P2P' || session.endReason !== 'server-restart') return null;
    if (!session.answeredAt || !session.endedAt || now - session.endedAt.getTime() > withinMs) return null;
    const party = (role: string) => session.participations.find((p) => p.role === role)?.user;
    const caller = party('caller');
    const callee = party('callee');
    if (!caller || !callee || (userId !== caller.id && userId !== callee.id)) return null;
    return { caller, callee, startedAt: session.startedAt.getTime(), answeredAt: session.answeredAt.getTime() };
  }

  /** The call goes on after all (a restarted call resumed): its end is taken back. */
  reopened(callId: string) {
    this.enqueue(callId, async () => {
      await this.db.callSession.update({ where: { id: callId }, data: { endedAt: null, endReason: null } });
      await this.db.participation.updateMany({
        where: { sessionId: callId, leaveReason: 'server-restart' },
        data: { leftAt: null, leaveReason: null },
      });
    });
  }

  /** Resolves when every queued write has landed (used on shutdown and by tests). */
  async flush() {
    await Promise.all(this.chains.values());
  }

  private enqueue(callId: string, write: () => Promise<unknown>) {
    const prev = this.chains.get(callId) ?? Promise.resolve();
    const next = prev
      .then(write)
      .then(() => undefined)
      .catch((err: unknown) => this.log.error({ err, callId }, 'call record write failed'));
    this.chains.set(callId, next);
  }

  private forget(callId: string) {
    const chain = this.chains.get(callId);
    void chain?.finally(() => {
      if (this.chains.get(callId) === chain) this.chains.delete(callId);
    });
  }
}

/**
 * Sessions a crash left open can never end normally; close them at start-up so history and the
 * dashboard never show ghosts.
 */
export async function closeStaleSessions(db: Db, now = new Date()) {
  const reason: CallEndReason = 'server-restart';
  const sessions = await db.callSession.updateMany({ where: { endedAt: null }, data: { endedAt: now, endReason: reason } });
  await db.participation.updateMany({
    where: { joinedAt: { not: null }, leftAt: null },
    data: { leftAt: now, leaveReason: reason },
  });
  return sessions.count;
}
