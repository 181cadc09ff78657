/**
 * The lobby chat's storage: the public channel and direct conversations, each message stored once
 * per (author, clientId), read state per user and conversation, and the call notes the server
 * writes into a direct conversation. A conversation key is `lobby` or `dm:<id>:<id>` (sorted), and
 * every query builds it from the reader's own id: a user can only ever name their own conversations.
 */
import {
  LOBBY_HISTORY_PAGE,
  type ConversationSummary,
  type ConversationWith,
  type LobbyHistoryPage,
  type LobbyMessageKind,
  type LobbyMessageView,
} from '../../protocol';
import type { Db } from '../db';

export const LOBBY_KEY = 'lobby';

export function conversationKey(me: string, other: ConversationWith): string {
  if (other === null) return LOBBY_KEY;
  const [a, b] = [me, other].sort();
  return `dm:${a}:${b}`;
}

/** The two users of a direct conversation key, or null for the lobby channel. */
export function partiesOf(key: string): [string, string] | null {
  if (key === LOBBY_KEY) return null;
  const [, a, b] = key.split(':');
  return [a!, b!];
}

const include = { user: { select: { name: true } } } as const;

type Row = { id: string; clientId: string; userId: string; conversation: string; kind: string; text: string; createdAt: Date; user: { name: string } };

function toView(row: Row): LobbyMessageView {
  return {
    id: row.id,
    clientId: row.clientId,
    userId: row.userId,
    name: row.user.name,
    dm: partiesOf(row.conversation),
    kind: row.kind as LobbyMessageKind,
    text: row.text,
    sentAt: row.createdAt.getTime(),
  };
}

export class LobbyChatStore {
  constructor(private readonly db: Db) {}

  /** Stores a message once: a retry with the same clientId returns the stored one. Acked only after this resolves. */
  async add(me: string, to: ConversationWith, clientId: string, text: string, kind: LobbyMessageKind = 'text'): Promise<{ message: LobbyMessageView; fresh: boolean }> {
    const stored = () => this.db.lobbyMessage.findUnique({ where: { userId_clientId: { userId: me, clientId } }, include });
    const existing = await stored();
    if (existing) return { message: toView(existing), fresh: false };
    try {
      const row = await this.db.lobbyMessage.create({ data: { userId: me, clientId, conversation: conversationKey(me, to), kind, text }, include });
      return { message: toView(row), fresh: true };
    } catch (err) {
      // The same message twice at once (a resend racing the original after a reconnect): the
      // unique index kept one; answer with it.
      const winner = (err as { code?: string }).code === 'P2002' ? await stored() : null;
      if (!winner) throw err;
      return { message: toView(winner), fresh: false };
    }
  }

  /** A page of a conversation, newest last; `before` (a message id of this conversation) pages back. */
  async history(me: string, other: ConversationWith, before?: string): Promise<LobbyHistoryPage> {
    const conversation = conversationKey(me, other);
    let cursorAt: Date | undefined;
    if (before) {
      const anchor = await this.db.lobbyMessage.findFirst({ where: { id: before, conversation }, select: { createdAt: true } });
      if (!anchor) return { messages: [], more: false };
      cursorAt = anchor.createdAt;
    }
    const rows = await this.db.lobbyMessage.findMany({
      where: { conversation, ...(cursorAt ? { OR: [{ createdAt: { lt: cursorAt } }, { createdAt: cursorAt, id: { lt: before } }] } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: LOBBY_HISTORY_PAGE + 1,
      include,
    });
    const more = rows.length > LOBBY_HISTORY_PAGE;
    return { messages: rows.slice(0, LOBBY_HISTORY_PAGE).reverse().map(toView), more };
  }

  /** Everything up to now in that conversation counts as read by `me`. */
  async markRead(me: string, other: ConversationWith): Promise<void> {
    const conversation = conversationKey(me, other);
    const at = new Date();
    await this.db.conversationRead.upsert({
      where: { userId_conversation: { userId: me, conversation } },
      create: { userId: me, conversation, readAt: at },
      update: { readAt: at },
    });
  }

  /** The lobby channel and every direct conversation `me` has, with unread counts and the last message. */
  async conversations(me: string): Promise<ConversationSummary[]> {
    const [reads, account] = await Promise.all([
      this.db.conversationRead.findMany({ where: { userId: me } }),
      this.db.user.findUnique({ where: { id: me }, select: { createdAt: true } }),
    ]);
    const readAt = new Map(reads.map((r) => [r.conversation, r.readAt]));
    const keys = await this.db.lobbyMessage.findMany({
      where: { OR: [{ conversation: { startsWith: `dm:${me}:` } }, { conversation: { endsWith: `:${me}`, startsWith: 'dm:' } }] },
      distinct: ['conversation'],
      select: { conversation: true },
    });
    const all = [LOBBY_KEY, ...keys.map((k) => k.conversation)];
    const others = all.map((k) => partiesOf(k)?.find((id) => id !== me) ?? null);
    const names = new Map(
      (await this.db.user.findMany({ where: { id: { in: others.filter((o): o is string => o !== null) } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]),
    );
    const out: ConversationSummary[] = [];
    for (const [i, key] of all.entries()) {
      const other = others[i]!;
      if (other !== null && !names.has(other)) continue; // the other account is gone
      // Never opened: the lobby channel counts from when the account was made, not from its first message.
      const since = readAt.get(key) ?? (key === LOBBY_KEY ? account?.createdAt : undefined);
      const [unread, last] = await Promise.all([
        this.db.lobbyMessage.count({ where: { conversation: key, userId: { not: me }, ...(since ? { createdAt: { gt: since } } : {}) } }),
        this.db.lobbyMessage.findFirst({ where: { conversation: key }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], include }),
      ]);
      out.push({ with: other, name: other === null ? 'Lobby' : names.get(other)!, unread, last: last ? toView(last) : null });
    }
    return out;
  }
}
