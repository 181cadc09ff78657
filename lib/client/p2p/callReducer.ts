/**
 * The browser's copy of a 1:1 call's state: a pure reducer over local intents (dial, accept…) and
 * server events (incoming, accepted, ended). The server owns the truth; this mirrors it so the UI
 * can render every phase, including the moments between a click and the server's answer.
 */
import type { CallEndReason, CallInfo, CallParty } from '../../protocol';

export type CallState =
  | { phase: 'idle' }
  /** Invite sent, waiting for the server's ack. */
  | { phase: 'dialing'; peer: CallParty }
  /** The callee's phone is ringing: "Ringing…" with Cancel. */
  | { phase: 'outgoing'; call: CallInfo }
  /** "Alice is calling" with Accept / Decline. */
  | { phase: 'incoming'; call: CallInfo }
  | { phase: 'accepting'; call: CallInfo }
  | { phase: 'active'; call: CallInfo }
  | { phase: 'ended'; peer: CallParty; callId: string | null; reason: CallEndReason | 'failed'; message?: string };

export type CallEvent =
  | { type: 'dial'; peer: CallParty }
  | { type: 'invite-sent'; call: CallInfo }
  | { type: 'invite-failed'; code: string; message: string }
  | { type: 'incoming'; call: CallInfo }
  | { type: 'accept' }
  | { type: 'accept-failed'; message: string }
  | { type: 'accepted'; call: CallInfo }
  | { type: 'resumed'; call: CallInfo }
  | { type: 'decline' }
  | { type: 'cancel' }
  | { type: 'hangup'; reason: CallEndReason }
  | { type: 'ended'; callId: string; reason: CallEndReason }
  /** The server no longer knows the call (it ended while our socket was away). */
  | { type: 'lost'; callId: string; message: string }
  | { type: 'dismiss' };

export const idle: CallState = { phase: 'idle' };

export function callIdOf(state: CallState): string | null {
  if (state.phase === 'idle' || state.phase === 'dialing') return null;
  if (state.phase === 'ended') return state.callId;
  return state.call.callId;
}

export function peerOf(state: CallState, me: string): CallParty | null {
  switch (state.phase) {
    case 'idle':
      return null;
    case 'dialing':
    case 'ended':
      return state.peer;
    default:
      return state.call.caller.id === me ? state.call.callee : state.call.caller;
  }
}

const canStartNew = (s: CallState) => s.phase === 'idle' || s.phase === 'ended';

/** `me` is the signed-in user's id: it decides who "the other party" is. */
export const makeCallReducer = (me: string) =>
  function callReducer(state: CallState, event: CallEvent): CallState {
    const other = (call: CallInfo) => (call.caller.id === me ? call.callee : call.caller);
    switch (event.type) {
    case 'dial':
      return canStartNew(state) ? { phase: 'dialing', peer: event.peer } : state;

    case 'invite-sent':
      if (state.phase === 'dialing' && state.peer.id === event.call.callee.id) {
        return event.call.phase === 'active' ? { phase: 'active', call: event.call } : { phase: 'outgoing', call: event.call };
      }
      // Glare: our invite crossed theirs, and the server joined us to their call as callee.
      if (event.call.phase === 'active' && (state.phase === 'dialing' || state.phase === 'incoming')) {
        return { phase: 'active', call: event.call };
      }
      return state;

    case 'invite-failed':
      if (state.phase !== 'dialing') return state;
      return {
        phase: 'ended',
        peer: state.peer,
        callId: null,
        reason: event.code === 'BUSY' ? 'busy' : 'failed',
        message: event.message,
      };

    case 'incoming':
      // While dialing the same person, their call is the glare twin of ours: the server merges them
      // when our invite arrives, so keep waiting for that answer.
      return canStartNew(state) ? { phase: 'incoming', call: event.call } : state;

    case 'accept':
      return state.phase === 'incoming' ? { phase: 'accepting', call: state.call } : state;

    case 'accept-failed':
      if (state.phase !== 'accepting') return state;
      return { phase: 'ended', peer: other(state.call), callId: state.call.callId, reason: 'failed', message: event.message };

    case 'accepted':
      if (state.phase === 'outgoing' || state.phase === 'accepting' || state.phase === 'incoming') {
        return state.call.callId === event.call.callId ? { phase: 'active', call: event.call } : state;
      }
      if (state.phase === 'dialing' && event.call.phase === 'active') return { phase: 'active', call: event.call };
      return state;

    case 'resumed':
      if (state.phase === 'active' && state.call.callId !== event.call.callId) return state;
      return canStartNew(state) || state.phase === 'active' ? { phase: 'active', call: event.call } : state;

    case 'decline':
      return state.phase === 'incoming' ? idle : state;

    case 'cancel':
      return state.phase === 'outgoing' || state.phase === 'dialing' ? idle : state;

    case 'hangup':
      if (state.phase !== 'active') return state;
      return { phase: 'ended', peer: other(state.call), callId: state.call.callId, reason: event.reason };

    case 'ended': {
      if (state.phase === 'idle' || state.phase === 'dialing' || state.phase === 'ended') return state;
      if (state.call.callId !== event.callId) return state;
      // Another tab answered: this tab simply stops ringing.
      if (event.reason === 'answered-elsewhere') return idle;
      // The callee of an unanswered call missed it; the caller got no answer.
      const missed = event.reason === 'missed' && state.call.callee.id === me;
      return {
        phase: 'ended',
        peer: other(state.call),
        callId: event.callId,
        reason: event.reason,
        ...(missed ? { message: `Missed call from ${state.call.caller.name}` } : {}),
      };
    }

    case 'lost':
      if (state.phase === 'idle' || state.phase === 'dialing' || state.phase === 'ended') return state;
      if (state.call.callId !== event.callId) return state;
      return { phase: 'ended', peer: other(state.call), callId: event.callId, reason: 'failed', message: event.message };

    case 'dismiss':
      return state.phase === 'ended' ? idle : state;
  }
  };
