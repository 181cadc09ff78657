/**
 * The lobby chat in the page, framework-free: the conversations (the lobby channel and direct
 * ones) with unread counts, the open conversation's messages, and at-least-once delivery as in
 * room chat — a message shows at once as pending, counts as sent only once the server stored it,
 * and goes out again with the same clientId after a failure or a reconnect (stored once).
 */
import type { ConversationSummary, ConversationWith, LobbyMessageView } from '../../protocol';
import { getSocket, request } from '../socket';

export interface ChatLine extends LobbyMessageView {
  status: 'sent' | 'pending' | 'failed';
}

export interface LobbyChatState {
  conversations: ConversationSummary[];
  /** The open conversation (undefined: none open). */
  open: ConversationWith | undefined;
  lines: ChatLine[];
  /** Older messages of the open conversation exist on the server. */
  more: boolean;
  loading: boolean;
  error: string | null;
}

export const initialLobbyChatState: LobbyChatState = { conversations: [], open: undefined, lines: [], more: false, loading: false, error: null };

/** Whether a message belongs to the conversation `other` of user `me`. */
function belongs(m: LobbyMessageView, me: string, other: ConversationWith): boolean {
  if (other === null) return m.dm === null;
  return m.dm !== null && m.dm.includes(me) && m.dm.includes(other);
}

/**
 * History merged with the lines shown: the server's copy wins for a message it has (matched by
 * author and clientId), lines it does not have yet (pending, failed, or newer) stay, oldest first.
 */
function merge(history: LobbyMessageView[], shown: ChatLine[]): ChatLine[] {
  const stored = new Set(history.map((m) => `${m.userId}/${m.clientId}`));
  const lines: ChatLine[] = [...history.map((m) => ({ ...m, status: 'sent' as const })), ...shown.filter((l) => !stored.has(`${l.userId}/${l.clientId}`))];
  return lines.sort((a, b) => a.sentAt - b.sentAt);
}

/** The other party of a message's conversation, seen from `me`. */
function otherOf(m: LobbyMessageView, me: string): ConversationWith {
  return m.dm === null ? null : (m.dm.find((id) => id !== me) ?? me);
}

export class LobbyChat {
  private state: LobbyChatState = initialLobbyChatState;
  private readonly listeners = new Set<() => void>();
  private unbind: (() => void) | null = null;
  /** Lines not yet stored, of every conversation: they survive switching away and are resent on reconnect. */
  private readonly unsent = new Map<string, ChatLine>();
  /** clientIds being sent right now: a reconnect does not send them a second time. */
  private readonly sending = new Set<string>();

  constructor(private readonly me: { id: string; name: string }) {}

  getState = () => this.state;

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): void {
    const socket = getSocket();
    const onMessage = ({ message }: { message: LobbyMessageView }) => this.received(message);
    const onConnect = () => {
      void this.refresh();
      // What arrived while we were away is not pushed again: read the open conversation's latest page.
      if (this.state.open !== undefined) void this.load(this.state.open);
      for (const line of this.unsent.values()) void this.deliver(line);
    };
    const onVisible = () => {
      const open = this.state.open;
      if (document.visibilityState !== 'visible' || open === undefined) return;
      if (this.state.conversations.find((c) => c.with === open)?.unread) void this.markRead(open);
    };
    socket.on('lobby:chat', onMessage);
    socket.on('connect', onConnect);
    document.addEventListener('visibilitychange', onVisible);
    this.unbind = () => {
      socket.off('lobby:chat', onMessage);
      socket.off('connect', onConnect);
      document.removeEventListener('visibilitychange', onVisible);
    };
    if (socket.connected) void this.refresh();
  }

  dispose(): void {
    this.unbind?.();
    this.unbind = null;
  }

  /** Opens a conversation: its latest page, and it counts as read. */
  openConversation = async (other: ConversationWith): Promise<void> => {
    const unsent = [...this.unsent.values()].filter((l) => belongs(l, this.me.id, other));
    this.set({ open: other, lines: unsent, more: false, loading: true, error: null });
    await this.load(other);
  };

  /** The latest page of `other`, merged with what is shown already (sent meanwhile, or unsent). */
  private async load(other: ConversationWith): Promise<void> {
    try {
      const page = await request('lobby:chat-history', { with: other });
      if (this.state.open !== other) return;
      this.set({ lines: merge(page.messages, this.state.lines), loading: false, error: null });
      // Older pages already loaded stay loaded: only a first load says whether there are more.
      if (!this.state.more) this.set({ more: page.more });
      if (document.visibilityState === 'visible') await this.markRead(other);
    } catch (err) {
      if (this.state.open === other) this.set({ loading: false, error: (err as Error).message });
    }
  }

  close = () => this.set({ open: undefined, lines: [], more: false, error: null });

  /** The page before the oldest message shown. */
  loadOlder = async (): Promise<void> => {
    const { open, lines } = this.state;
    if (open === undefined || !lines[0]) return;
    let page;
    try {
      page = await request('lobby:chat-history', { with: open, before: lines[0].id });
    } catch (err) {
      if (this.state.open === open) this.set({ error: (err as Error).message });
      return;
    }
    if (this.state.open !== open) return;
    const known = new Set(this.state.lines.map((l) => l.id));
    this.set({ lines: merge(page.messages.filter((m) => !known.has(m.id)), this.state.lines), more: page.more });
  };

  say = (text: string): void => {
    const open = this.state.open;
    const trimmed = text.trim();
    if (open === undefined || !trimmed) return;
    const clientId = crypto.randomUUID();
    const line: ChatLine = {
      id: clientId,
      clientId,
      userId: this.me.id,
      name: this.me.name,
      dm: open === null ? null : ([this.me.id, open].sort() as [string, string]),
      kind: 'text',
      text: trimmed,
      sentAt: Date.now(),
      status: 'pending',
    };
    this.unsent.set(clientId, line);
    this.set({ lines: [...this.state.lines, line] });
    void this.deliver(line);
  };

  retry = (clientId: string): void => {
    const line = this.unsent.get(clientId);
    if (line) void this.deliver(line);
  };

  private async deliver(line: ChatLine): Promise<void> {
    if (this.sending.has(line.clientId)) return;
    this.sending.add(line.clientId);
    this.patchLine(line.clientId, { status: 'pending' });
    try {
      const to = otherOf(line, this.me.id);
      const { message } = await request('lobby:chat-send', { to, clientId: line.clientId, text: line.text });
      this.unsent.delete(line.clientId);
      this.patchLine(line.clientId, { ...message, status: 'sent' });
      this.bumpConversation(message, false);
    } catch {
      this.unsent.set(line.clientId, { ...line, status: 'failed' });
      this.patchLine(line.clientId, { status: 'failed' });
    } finally {
      this.sending.delete(line.clientId);
    }
  }

  private received(message: LobbyMessageView): void {
    const open = this.state.open;
    const shown = open !== undefined && belongs(message, this.me.id, open);
    if (shown && !this.state.lines.some((l) => l.id === message.id || (l.userId === message.userId && l.clientId === message.clientId))) {
      this.set({ lines: [...this.state.lines, { ...message, status: 'sent' }] });
    }
    const fromOther = message.userId !== this.me.id;
    const seen = shown && document.visibilityState === 'visible';
    this.bumpConversation(message, fromOther && !seen);
    if (seen && fromOther) void this.markRead(open);
  }

  private bumpConversation(message: LobbyMessageView, unread: boolean): void {
    const other = otherOf(message, this.me.id);
    const found = this.state.conversations.find((c) => c.with === other);
    if (!found) {
      // A new direct conversation: its name comes with the list.
      void this.refresh();
      return;
    }
    this.set({
      conversations: this.state.conversations.map((c) => (c === found ? { ...c, last: message, unread: c.unread + (unread ? 1 : 0) } : c)),
    });
  }

  private async markRead(other: ConversationWith): Promise<void> {
    this.set({ conversations: this.state.conversations.map((c) => (c.with === other ? { ...c, unread: 0 } : c)) });
    await request('lobby:chat-read', { with: other }).catch(() => undefined);
  }

  private async refresh(): Promise<void> {
    try {
      const { conversations } = await request('lobby:conversations', {});
      this.set({ conversations });
    } catch {
      // The list stays as it was; the next reconnect or message asks again.
    }
  }

  private patchLine(clientId: string, patch: Partial<ChatLine>) {
    this.set({ lines: this.state.lines.map((l) => (l.clientId === clientId && l.userId === this.me.id ? { ...l, ...patch } : l)) });
  }

  private set(patch: Partial<LobbyChatState>) {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}
