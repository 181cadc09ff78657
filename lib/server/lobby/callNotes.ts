/**
 * A call's outcome, noted in the direct conversation of its two users: "Missed call from Ann",
 * "Call declined", "Call · 3:12". Written once per call (clientId `call:<callId>`, author the
 * caller) and pushed to both users' tabs.
 */
import type { CallEndReason, CallInfo, LobbyMessageKind } from '../../protocol';
import type { CallRegistry } from '../calls/CallRegistry';
import type { Logger } from '../logger';
import { rooms, type IoServer } from '../realtime/types';
import type { LobbyChatStore } from './lobbyChatStore';

export function callNote(call: CallInfo, reason: CallEndReason, now: number): { kind: LobbyMessageKind; text: string } | null {
  // A restart hands live calls to the next process, which ends them for real later.
  if (reason === 'server-restart' || reason === 'answered-elsewhere') return null;
  if (call.answeredAt === null) {
    return reason === 'declined' ? { kind: 'call-declined', text: 'Call declined' } : { kind: 'call-missed', text: `Missed call from ${call.caller.name}` };
  }
  const seconds = Math.max(0, Math.round((now - call.answeredAt) / 1000));
  return { kind: 'call-ended', text: `Call ended · ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}` };
}

export function noteCallOutcomes(calls: CallRegistry, store: LobbyChatStore, io: IoServer, log: Logger): void {
  calls.onEnded((call, reason) => {
    const note = callNote(call, reason, Date.now());
    if (!note) return;
    const { caller, callee } = call;
    store
      .add(caller.id, callee.id, `call:${call.callId}`, note.text, note.kind)
      .then(({ message, fresh }) => {
        if (fresh) io.to([rooms.user(caller.id), rooms.user(callee.id)]).emit('lobby:chat', { message });
      })
      .catch((err: unknown) => log.warn({ err, callId: call.callId }, 'could not note the call in the conversation'));
  });
}
