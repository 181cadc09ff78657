/**
 * The server owns every 1:1 call. This registry holds live calls, enforces who may do what, relays
 * signalling only between the two bound sockets of a call, and ends calls on timeout, hang-up, or
 * when a party's socket stays away longer than the grace period.
 *
 * A call is bound to one socket per party: the caller's socket that invited, and the callee's socket
 * that accepted. Other tabs of the same users see ringing and the end, but cannot signal.
 */
import crypto from 'node:crypto';
import {
  ErrorCode,
  ProtocolError,
  type AdminCall,
  type CallEndReason,
  type CallInfo,
  type CallParty,
  type CallSignal,
  type CallStatsSummary,
  type MediaState,
  type PresenceStatus,
} from '../../protocol';
import type { Logger } from '../logger';
import type { Presence } from '../realtime/presence';
import { rooms, type IoServer, type IoSocket } from '../realtime/types';
import type { CallRecords } from './callRecords';

export interface CallTimings {
  ringTimeoutMs: number;
  reconnectGraceMs: number;
  /** How long after a web-process restart its answered calls may still be resumed. */
  restartResumeMs: number;
}

interface LiveCall {
  info: CallInfo;
  /**
   * socket id per party; the callee has none (null) until it accepts. '' is a party of a call
   * taken over from a restarted process who has not resumed it yet.
   */
  sockets: Map<string, string | null>;
  media: Map<string, MediaState>;
  /** Latest getStats() summary per party, for the admin dashboard. */
  stats: Map<string, CallStatsSummary & { at: number }>;
  ringTimer?: NodeJS.Timeout;
  graceTimers: Map<string, NodeJS.Timeout>;
}

export class CallRegistry {
  private readonly calls = new Map<string, LiveCall>();
  /** userId → callId: a user is in at most one call, ringing or active. */
  private readonly byUser = new Map<string, string>();
  /** Calls being taken over from a restarted process; both parties' resumes share one attempt. */
  private readonly adopting = new Map<string, Promise<void>>();
  private readonly endedListeners = new Set<(call: CallInfo, reason: CallEndReason) => void>();

  constructor(
    private readonly io: IoServer,
    private readonly presence: Presence,
    private readonly records: CallRecords,
    private readonly timings: CallTimings,
    private readonly log: Logger,
  ) {
    presence.addStatusSource((userId) => this.statusOf(userId));
  }

  /** Told of every call that ends, after its record is written (e.g. the lobby chat's call notes). */
  onEnded(listener: (call: CallInfo, reason: CallEndReason) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  statusOf(userId: string): PresenceStatus | null {
    const callId = this.byUser.get(userId);
    if (!callId) return null;
    return this.calls.get(callId)?.info.phase === 'active' ? 'in-call' : 'ringing';
  }

  get activeCount() {
    return this.calls.size;
  }

  list(): CallInfo[] {
    return [...this.calls.values()].map((c) => c.info);
  }

  invite(socket: IoSocket, calleeId: string): CallInfo {
    const me = socket.data.user;
    if (calleeId === me.id) throw new ProtocolError(ErrorCode.BadRequest, 'You cannot call yourself');
    const mine = this.callOf(me.id);
    if (mine) {
      // Glare: both pressed "call" at once. They both want this call, so connect them.
      if (mine.info.phase === 'ringing' && mine.info.caller.id === calleeId) return this.accept(socket, mine.info.callId);
      throw new ProtocolError(ErrorCode.InvalidState, 'You are already in a call');
    }
    const callee = this.presence.user(calleeId);
    if (!callee || !this.presence.isOnline(calleeId)) {
      throw new ProtocolError(ErrorCode.Offline, 'That user is not online');
    }
    const caller: CallParty = { id: me.id, name: me.name };
    const now = Date.now();
    const calleeStatus = this.presence.status(calleeId);
    if (this.byUser.has(calleeId) || (calleeStatus && calleeStatus !== 'available')) {
      this.records.started({ callId: crypto.randomUUID(), callerId: me.id, calleeId, startedAt: now }, 'busy');
      throw new ProtocolError(ErrorCode.Busy, `${callee.name} is busy`);
    }

    const info: CallInfo = {
      callId: crypto.randomUUID(),
      caller,
      callee: { id: callee.id, name: callee.name },
      phase: 'ringing',
      startedAt: now,
      answeredAt: null,
      ringDeadline: now + this.timings.ringTimeoutMs,
    };
    const call: LiveCall = {
      info,
      sockets: new Map([
        [caller.id, socket.id],
        [callee.id, null],
      ]),
      media: new Map(),
      stats: new Map(),
      graceTimers: new Map(),
    };
    call.ringTimer = setTimeout(() => this.end(call, 'missed'), this.timings.ringTimeoutMs);
    this.calls.set(info.callId, call);
    this.byUser.set(caller.id, info.callId);
    this.byUser.set(callee.id, info.callId);
    this.records.started({ callId: info.callId, callerId: caller.id, calleeId: callee.id, startedAt: now });
    this.io.to(rooms.user(callee.id)).emit('call:incoming', { call: info });
    this.presence.refresh(caller.id);
    this.presence.refresh(callee.id);
    this.log.info({ callId: info.callId, caller: caller.id, callee: callee.id }, 'call ringing');
    return info;
  }

  accept(socket: IoSocket, callId: string): CallInfo {
    const call = this.partyCall(socket, callId);
    if (call.info.callee.id !== socket.data.user.id) throw new ProtocolError(ErrorCode.Forbidden, 'Only the callee can accept');
    if (call.info.phase !== 'ringing') throw new ProtocolError(ErrorCode.InvalidState, 'The call is no longer ringing');
    clearTimeout(call.ringTimer);
    const now = Date.now();
    call.info = { ...call.info, phase: 'active', answeredAt: now };
    call.sockets.set(call.info.callee.id, socket.id);
    this.records.answered(callId, call.info.callee.id, now);
    const callerSocket = call.sockets.get(call.info.caller.id);
    if (callerSocket) this.io.to(callerSocket).emit('call:accepted', { call: call.info });
    // The callee's other tabs stop ringing.
    this.io.to(rooms.user(call.info.callee.id)).except(socket.id).emit('call:ended', { callId, reason: 'answered-elsewhere' });
    this.presence.refresh(call.info.caller.id);
    this.presence.refresh(call.info.callee.id);
    this.log.info({ callId }, 'call accepted');
    return call.info;
  }

  decline(socket: IoSocket, callId: string) {
    const call = this.partyCall(socket, callId);
    if (call.info.callee.id !== socket.data.user.id) throw new ProtocolError(ErrorCode.Forbidden, 'Only the callee can decline');
    if (call.info.phase !== 'ringing') throw new ProtocolError(ErrorCode.InvalidState, 'The call is no longer ringing');
    this.end(call, 'declined');
  }

  cancel(socket: IoSocket, callId: string) {
    const call = this.boundCall(socket, callId);
    if (call.info.caller.id !== socket.data.user.id) throw new ProtocolError(ErrorCode.Forbidden, 'Only the caller can cancel');
    if (call.info.phase !== 'ringing') throw new ProtocolError(ErrorCode.InvalidState, 'The call was already answered');
    this.end(call, 'cancelled');
  }

  hangup(socket: IoSocket, callId: string, reason: CallEndReason) {
    const call = this.boundCall(socket, callId);
    if (call.info.phase === 'ringing') return this.end(call, 'cancelled');
    this.end(call, reason);
  }

  signal(socket: IoSocket, callId: string, signal: CallSignal) {
    const call = this.boundCall(socket, callId);
    if (call.info.phase !== 'active') throw new ProtocolError(ErrorCode.InvalidState, 'The call is not answered yet');
    const other = this.otherSocket(call, socket.data.user.id);
    // While the other side is reconnecting its socket there is nobody to deliver to; it renegotiates
    // (ICE restart) when it resumes, so dropping here loses nothing.
    if (other) this.io.to(other).emit('call:signal', { callId, signal });
  }

  media(socket: IoSocket, callId: string, state: MediaState) {
    const call = this.boundCall(socket, callId);
    call.media.set(socket.data.user.id, state);
    const other = this.otherSocket(call, socket.data.user.id);
    if (other) this.io.to(other).emit('call:peer-media', { callId, ...state });
  }

  /** A party's browser reports its media stats; only the tab holding the call has any. */
  reportStats(socket: IoSocket, callId: string, stats: CallStatsSummary) {
    const call = this.boundCall(socket, callId);
    if (call.info.phase !== 'active') throw new ProtocolError(ErrorCode.InvalidState, 'The call is not answered yet');
    call.stats.set(socket.data.user.id, { ...stats, at: Date.now() });
  }

  /** Every live call with its parties' latest stats (admin dashboard). */
  adminView(): AdminCall[] {
    return [...this.calls.values()].map(({ info, stats }) => ({
      callId: info.callId,
      caller: info.caller,
      callee: info.callee,
      phase: info.phase,
      startedAt: info.startedAt,
      answeredAt: info.answeredAt,
      stats: Object.fromEntries(stats),
    }));
  }

  /** The call a user is in (ringing or active), if any. */
  callIdOf(userId: string): string | undefined {
    return this.byUser.get(userId);
  }

  /**
   * A party's new socket (after a reconnect or page reload) takes over the call. A call this
   * process does not know may be one a previous process was serving when it crashed or restarted:
   * the browsers' media never went through the server, so it is adopted and goes on.
   */
  async resume(socket: IoSocket, callId: string, fresh: boolean) {
    if (!this.calls.has(callId)) await this.adopt(socket.data.user.id, callId);
    const call = this.partyCall(socket, callId);
    const me = socket.data.user.id;
    if (call.sockets.get(me) === null) throw new ProtocolError(ErrorCode.InvalidState, 'The call was not answered here');
    clearTimeout(call.graceTimers.get(me));
    call.graceTimers.delete(me);
    call.sockets.set(me, socket.id);
    const other = this.otherSocket(call, me);
    if (other) this.io.to(other).emit('call:peer-link', { callId, state: 'resumed', fresh });
    const otherId = me === call.info.caller.id ? call.info.callee.id : call.info.caller.id;
    this.log.info({ callId, userId: me, fresh }, 'call resumed');
    return { call: call.info, peerMedia: call.media.get(otherId) ?? null };
  }

  private adopt(userId: string, callId: string): Promise<void> {
    let pending = this.adopting.get(callId);
    if (!pending) {
      pending = this.adoptNow(userId, callId)
        .catch((err: unknown) => this.log.error({ err, callId }, 'taking over a restarted call failed'))
        .finally(() => this.adopting.delete(callId));
      this.adopting.set(callId, pending);
    }
    return pending;
  }

  private async adoptNow(userId: string, callId: string) {
    const found = await this.records.restartedCall(callId, userId, this.timings.restartResumeMs);
    if (!found || this.calls.has(callId)) return;
    const { caller, callee, startedAt, answeredAt } = found;
    // Either party may have moved on to another call in the meantime.
    if (this.byUser.has(caller.id) || this.byUser.has(callee.id)) return;
    const call: LiveCall = {
      info: { callId, caller, callee, phase: 'active', startedAt, answeredAt, ringDeadline: startedAt },
      sockets: new Map([
        [caller.id, ''],
        [callee.id, ''],
      ]),
      media: new Map(),
      stats: new Map(),
      graceTimers: new Map(),
    };
    // Each party has the reconnect grace to come back; the one resuming now clears its own.
    for (const party of [caller.id, callee.id]) {
      call.graceTimers.set(party, setTimeout(() => this.end(call, 'peer-lost'), this.timings.reconnectGraceMs));
    }
    this.calls.set(callId, call);
    this.byUser.set(caller.id, callId);
    this.byUser.set(callee.id, callId);
    this.records.reopened(callId);
    this.presence.refresh(caller.id);
    this.presence.refresh(callee.id);
    this.log.info({ callId }, 'call taken over from a restarted process');
  }

  /** The socket is gone: a call bound to it waits for the party to come back, then ends. */
  disconnected(socket: IoSocket) {
    const me = socket.data.user.id;
    const call = this.callOf(me);
    if (!call || call.sockets.get(me) !== socket.id) return;
    const graceMs = this.timings.reconnectGraceMs;
    const other = this.otherSocket(call, me);
    if (other) this.io.to(other).emit('call:peer-link', { callId: call.info.callId, state: 'reconnecting', graceMs });
    call.graceTimers.set(
      me,
      setTimeout(() => this.end(call, call.info.phase === 'ringing' ? 'cancelled' : 'peer-lost'), graceMs),
    );
  }

  /** Ends a call for both parties (used by admins and on shutdown too). */
  endCall(callId: string, reason: CallEndReason): boolean {
    const call = this.calls.get(callId);
    if (!call) return false;
    this.end(call, reason);
    return true;
  }

  /**
   * Stopping this process: answered calls are recorded as ended by the restart, and their parties
   * are not told, so that they can resume them on the next process (their media goes on meanwhile).
   * Calls still ringing end.
   */
  shutdown() {
    for (const call of [...this.calls.values()]) this.end(call, 'server-restart', call.info.phase === 'active');
  }

  private end(call: LiveCall, reason: CallEndReason, quietly = false) {
    const { callId, caller, callee } = call.info;
    if (this.calls.get(callId) !== call) return;
    clearTimeout(call.ringTimer);
    for (const t of call.graceTimers.values()) clearTimeout(t);
    this.calls.delete(callId);
    for (const party of [caller.id, callee.id]) if (this.byUser.get(party) === callId) this.byUser.delete(party);
    this.records.ended(callId, reason, Date.now());
    if (!quietly) this.io.to([rooms.user(caller.id), rooms.user(callee.id)]).emit('call:ended', { callId, reason });
    this.presence.refresh(caller.id);
    this.presence.refresh(callee.id);
    this.log.info({ callId, reason }, 'call ended');
    for (const listener of this.endedListeners) listener(call.info, reason);
  }

  private callOf(userId: string): LiveCall | undefined {
    const callId = this.byUser.get(userId);
    return callId ? this.calls.get(callId) : undefined;
  }

  /** The call, if the socket's user is one of its parties. */
  private partyCall(socket: IoSocket, callId: string): LiveCall {
    const call = this.calls.get(callId);
    if (!call) throw new ProtocolError(ErrorCode.NotFound, 'That call has ended');
    if (!call.sockets.has(socket.data.user.id)) throw new ProtocolError(ErrorCode.Forbidden, 'You are not in that call');
    return call;
  }

  /** The call, if this very socket is the one its user bound to the call. */
  private boundCall(socket: IoSocket, callId: string): LiveCall {
    const call = this.partyCall(socket, callId);
    if (call.sockets.get(socket.data.user.id) !== socket.id) {
      throw new ProtocolError(ErrorCode.Forbidden, 'This call is held by another tab');
    }
    return call;
  }

  private otherSocket(call: LiveCall, me: string): string | null {
    for (const [userId, socketId] of call.sockets) if (userId !== me) return socketId ?? null;
    return null;
  }
}
