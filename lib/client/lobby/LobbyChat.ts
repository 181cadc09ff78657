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

/** The other party of a message's conversation, seen from `me`. */
function otherOf(m: LobbyMessageView, me: string): ConversationWith {
  return m.dm === null ? null : (m.dm.find((id) => id !== me) ?? me);
}

export class LobbyChat {
  private state: LobbyChatState = initialLobbyChatState;
  private readonly listeners = new Set<() => void>();
  private unbind: (() => void) | null = null;

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
      for (const line of this.state.lines) if (line.status !== 'sent') void this.deliver(line);
    };
    socket.on('lobby:chat', onMessage);
    socket.on('connect', onConnect);
    this.unbind = () => {
      socket.off('lobby:chat', onMessage);
      socket.off('connect', onConnect);
    };
    if (socket.connected) void this.refresh();
  }

  dispose(): void {
    this.unbind?.();
    this.unbind = null;
  }

  /** Opens a conversation: its latest page, and it counts as read. */
  openConversation = async (other: ConversationWith): Promise<void> => {
    this.set({ open: other, lines: [], more: false, loading: true, error: null });
    try {
      const page = await request('lobby:chat-history', { with: other });
      if (this.state.open !== other) return;
      this.set({ lines: page.messages.map((m) => ({ ...m, status: 'sent' })), more: page.more, loading: false });
      await this.markRead(other);
    } catch (err) {
      if (this.state.open === other) this.set({ loading: false, error: (err as Error).message });
    }
  };

  close = () => this.set({ open: undefined, lines: [], more: false, error: null });

  /** The page before the oldest message shown. */
  loadOlder = async (): Promise<void> => {
    const { open, lines } = this.state;
    if (open === undefined || !lines[0]) return;
    const page = await request('lobby:chat-history', { with: open, before: lines[0].id });
    if (this.state.open !== open) return;
    const known = new Set(this.state.lines.map((l) => l.id));
    this.set({ lines: [...page.messages.filter((m) => !known.has(m.id)).map((m) => ({ ...m, status: 'sent' as const })), ...this.state.lines], more: page.more });
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
    this.set({ lines: [...this.state.lines, line] });
    void this.deliver(line);
  };

  retry = (clientId: string): void => {
    const line = this.state.lines.find((l) => l.clientId === clientId);
    if (line) void this.deliver(line);
  };

  private async deliver(line: ChatLine): Promise<void> {
    this.patchLine(line.clientId, { status: 'pending' });
    try {
      const to = otherOf(line, this.me.id);
      const { message } = await request('lobby:chat-send', { to, clientId: line.clientId, text: line.text });
      this.patchLine(line.clientId, { ...message, status: 'sent' });
      this.bumpConversation(message, false);
    } catch {
      this.patchLine(line.clientId, { status: 'failed' });
    }
  }

  private received(message: LobbyMessageView): void {
    const open = this.state.open;
    const shown = open !== undefined && belongs(message, this.me.id, open);
    if (shown && !this.state.lines.some((l) => l.id === message.id || (l.userId === message.userId && l.clientId === message.clientId))) {
      this.set({ lines: [...this.state.lines, { ...message, status: 'sent' }] });
    }
    const fromOther = message.userId !== this.me.id;
    this.bumpConversation(message, fromOther && !(shown && document.visibilityState === 'visible'));
    if (shown && fromOther) void this.markRead(open);
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
