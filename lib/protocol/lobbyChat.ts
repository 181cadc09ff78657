/**
 * The lobby's chat: one public channel everyone signed in shares, and a direct conversation between
 * any two users. A conversation is named from the reader's side: `null` is the lobby channel, a user
 * id is the direct conversation with that user (so nobody can name someone else's conversation).
 */

/** Who a conversation is with: null for the lobby channel, else the other user's id. */
export type ConversationWith = string | null;

/** A note the server writes into a direct conversation about a call between its two users. */
export type LobbyMessageKind = 'text' | 'call-missed' | 'call-ended' | 'call-declined';

export interface LobbyMessageView {
  id: string;
  clientId: string;
  /** The author (for call notes: the caller). */
  userId: string;
  name: string;
  /** null: the lobby channel; else the direct conversation's two users, sorted. */
  dm: [string, string] | null;
  kind: LobbyMessageKind;
  text: string;
  sentAt: number;
}

export interface ConversationSummary {
  with: ConversationWith;
  /** The other user's display name (the lobby channel: "Lobby"). */
  name: string;
  unread: number;
  last: LobbyMessageView | null;
}

export interface LobbyHistoryPage {
  messages: LobbyMessageView[];
  /** Older messages exist: ask again with `before` = the first message's id. */
  more: boolean;
}

export const LOBBY_HISTORY_PAGE = 50;
