/**
 * What the host of a meeting can ask the server to do. The server checks that the sender is the
 * host (and that a target is in the room); the page shows the result through the room's events.
 */
import { request } from '../socket';

export const hostActions = {
  spotlight: (userId: string | null) => request('room:host-spotlight', { userId }),
  admit: (userId: string) => request('room:host-admit', { userId }),
  deny: (userId: string) => request('room:host-deny', { userId }),
  admitAll: () => request('room:host-admit-all', {}),
  setWaitingRoom: (enabled: boolean) => request('room:host-waiting-room', { enabled }),
  lowerHand: (userId: string) => request('room:host-lower-hand', { userId }),
  mute: (userId: string) => request('room:host-mute', { userId }),
  remove: (userId: string) => request('room:host-remove', { userId }),
  lock: (locked: boolean) => request('room:host-lock', { locked }),
  end: () => request('room:host-end', {}),
};
