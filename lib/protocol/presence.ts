/** Lobby presence: one entry per user, however many tabs they have open. */
export const presenceStatuses = ['available', 'ringing', 'in-call', 'in-room'] as const;
export type PresenceStatus = (typeof presenceStatuses)[number];

export interface PresenceUser {
  id: string;
  name: string;
  status: PresenceStatus;
}

export interface PresenceSnapshot {
  me: PresenceUser;
  /** Everyone else online, sorted by name. */
  users: PresenceUser[];
}

/** One change to the lobby list. Changes are sent in order, several per message (`presence:diffs`). */
export type PresenceDiff =
  | { type: 'joined'; user: PresenceUser }
  | { type: 'left'; userId: string }
  | { type: 'status'; userId: string; status: PresenceStatus };
