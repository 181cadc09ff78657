'use client';
import { useEffect, useRef, useState } from 'react';
import type { ConversationWith, PresenceUser } from '@/lib/protocol';
import { CHAT_MAX_CHARS } from '@/lib/protocol';
import type { LobbyChat, LobbyChatState } from '@/lib/client/lobby/LobbyChat';
import { ChatMessage, chatTime } from '@/app/components/ChatMessage';

const key = (w: ConversationWith) => w ?? 'lobby';

/**
 * The lobby's chat: the public channel and direct conversations as tabs with unread counts, the
 * open conversation's messages (newest last, older ones on request) and a composer. A direct
 * conversation has a Call button, available when the other person is.
 */
export function LobbyChatPanel({
  me,
  chat,
  state,
  online,
  canCall,
  onCall,
}: {
  me: string;
  chat: LobbyChat;
  state: LobbyChatState;
  online: PresenceUser[];
  canCall: boolean;
  onCall: (user: { id: string; name: string }) => void;
}) {
  const [draft, setDraft] = useState('');
  const list = useRef<HTMLOListElement>(null);
  const open = state.open;
  useEffect(() => {
    if (open === undefined) void chat.openConversation(null);
  }, [chat, open]);
  // Follow the newest message (not older ones loaded above it).
  const newest = state.lines.at(-1);
  const newestKey = newest ? newest.userId + newest.clientId : '';
  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [newestKey]);
  const incoming = newest && newest.userId !== me && newest.kind === 'text' ? `${newest.name}: ${newest.text}` : '';

  const openSummary = state.conversations.find((c) => c.with === open);
  const peer = open ? online.find((u) => u.id === open) : undefined;
  const title = open === null ? 'Lobby' : (openSummary?.name ?? peer?.name ?? 'Direct message');

  return (
    <section className="panel lobby-chat" aria-label="Chat" data-testid="lobby-chat">
      <div className="panel-head">
        <h2>Chat</h2>
      </div>
      <div className="tabs chat-tabs" role="tablist" aria-label="Conversations">
        {state.conversations.map((c) => (
          <button
            key={key(c.with)}
            type="button"
            role="tab"
            aria-selected={c.with === open}
            data-testid="conversation"
            data-with={key(c.with)}
            onClick={() => void chat.openConversation(c.with)}
          >
            {c.name}
            {c.unread > 0 && (
              <>
                <span className="badge" data-testid="unread" aria-hidden="true">
                  {c.unread > 99 ? '99+' : c.unread}
                </span>
                <span className="sr-only">, {c.unread} unread</span>
              </>
            )}
          </button>
        ))}
      </div>
      <div className="chat-head">
        <strong>{title}</strong>
        {open && (
          <button
            type="button"
            className="button primary"
            disabled={!canCall || peer?.status !== 'available'}
            title={!canCall ? 'You are in a call' : peer ? (peer.status === 'available' ? `Call ${peer.name}` : `${peer.name} is busy`) : `${title} is offline`}
            onClick={() => onCall({ id: open, name: title })}
          >
            Call
          </button>
        )}
      </div>
      {state.error && (
        <p className="error" role="alert">
          Could not load the conversation: {state.error}
        </p>
      )}
      {state.more && (
        <button type="button" className="button ghost" onClick={() => void chat.loadOlder()}>
          Load older messages
        </button>
      )}
      {/* Screen readers hear the newest message from someone else, not the whole list on every open. */}
      <p className="sr-only" aria-live="polite">
        {incoming}
      </p>
      <ol className="messages chat-lines" ref={list} aria-busy={state.loading} data-testid="chat-lines">
        {!state.loading && state.lines.length === 0 && <li className="muted">No messages yet. Say hello!</li>}
        {state.lines.map((m) =>
          m.kind === 'text' ? (
            <ChatMessage
              key={m.userId + m.clientId}
              name={m.name}
              sentAt={m.sentAt}
              text={m.text}
              mine={m.userId === me}
              status={m.status}
              onRetry={() => chat.retry(m.clientId)}
            />
          ) : (
            <li key={m.id} className="chat-note muted" data-kind={m.kind}>
              📞 {m.text} · {chatTime(m.sentAt)}
            </li>
          ),
        )}
      </ol>
      <form
        className="chat-form"
        onSubmit={(e) => {
          e.preventDefault();
          chat.say(draft);
          setDraft('');
        }}
      >
        <label className="sr-only" htmlFor="lobby-chat-input">
          Message {title}
        </label>
        <input
          id="lobby-chat-input"
          value={draft}
          maxLength={CHAT_MAX_CHARS}
          onChange={(e) => setDraft(e.target.value)}
          placeholder={`Message ${title}`}
          autoComplete="off"
        />
        <button type="submit" className="button primary" disabled={!draft.trim()}>
          Send
        </button>
      </form>
    </section>
  );
}
