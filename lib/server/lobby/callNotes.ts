/**
 * A call's outcome, noted in the direct conversation of its two users: "Missed call from Ann",
 * "Bob declined the call", "Call ended · 3:12". Written once per call (clientId `call:<callId>`) and
 * pushed to both users' tabs.
 */
import type { CallEndReason, CallInfo, LobbyMessageKind } from '../../protocol';
import type { CallRegistry } from '../calls/CallRegistry';
import type { Logger } from '../logger';
import { rooms, type IoServer } from '../realtime/types';
import type { LobbyChatStore } from './lobbyChatStore';

/**
 * The note, and who writes it: a note counts as unread for the other party, so a missed call is the
 * caller's (the callee should see it) and a declined one the callee's (the caller should).
 */
export function callNote(call: CallInfo, reason: CallEndReason, now: number): { kind: LobbyMessageKind; text: string } | null {
  // A restart hands live calls to the next process, which ends them for real later.
  if (reason === 'server-restart' || reason === 'answered-elsewhere') return null;
  if (call.answeredAt === null) {
    if (reason === 'declined') return { kind: 'call-declined', text: `${call.callee.name} declined the call` };
    if (reason === 'missed' || reason === 'cancelled') return { kind: 'call-missed', text: `Missed call from ${call.caller.name}` };
    return { kind: 'call-missed', text: `Call from ${call.caller.name} did not connect` };
  }
  const seconds = Math.max(0, Math.round((now - call.answeredAt) / 1000));
  return { kind: 'call-ended', text: `Call ended · ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}` };
}

export function noteCallOutcomes(calls: CallRegistry, store: LobbyChatStore, io: IoServer, log: Logger): void {
  calls.onEnded((call, reason) => {
    const note = callNote(call, reason, Date.now());
    if (!note) return;
    const { caller, callee } = call;
    const [author, other] = note.kind === 'call-declined' ? [callee, caller] : [caller, callee];
    store
      .add(author.id, other.id, `call:${call.callId}`, note.text, note.kind)
      .then(({ message, fresh }) => {
        if (fresh) io.to([rooms.user(caller.id), rooms.user(callee.id)]).emit('lobby:chat', { message });
      })
      .catch((err: unknown) => log.warn({ err, callId: call.callId }, 'could not note the call in the conversation'));
  });
}
