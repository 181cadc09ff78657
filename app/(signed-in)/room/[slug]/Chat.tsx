'use client';
import { useEffect, useRef, type FormEvent } from 'react';
import { CHAT_MAX_CHARS } from '@/lib/protocol';
import type { useRoom } from '@/lib/client/hooks/useRoom';
import { Linkified } from '@/app/components/Linkified';

type Room = ReturnType<typeof useRoom>;

const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function Chat({ room, me }: { room: Room; me: { id: string } }) {
  const list = useRef<HTMLOListElement>(null);
  const { chat } = room.state;

  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [chat.length]);

  function send(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const input = e.currentTarget.elements.namedItem('text') as HTMLInputElement;
    const text = input.value.trim();
    if (!text) return;
    room.say(text);
    input.value = '';
  }

  return (
    <div className="chat">
      {chat.length === 0 ? (
        <p className="muted empty">No messages yet. Say hello!</p>
      ) : (
        <ol ref={list} className="messages" data-testid="chat-messages">
          {chat.map((m) => (
            <li key={m.clientId} className={`message ${m.userId === me.id ? 'mine' : ''} ${m.status}`} data-testid="chat-message">
              <span className="meta">
                <strong>{m.name}</strong> <span className="muted">{time(m.sentAt)}</span>
              </span>
              <span className="text">
                <Linkified text={m.text} />
              </span>
              {m.status === 'pending' && <span className="muted small">sending…</span>}
              {m.status === 'failed' && (
                <button type="button" className="button ghost" onClick={() => room.retryChat(m.clientId)}>
                  Not sent — retry
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      <form className="chat-form" onSubmit={send}>
        <input name="text" maxLength={CHAT_MAX_CHARS} placeholder="Message everyone" autoComplete="off" aria-label="Chat message" />
        <button type="submit" className="button primary">
          Send
        </button>
      </form>
    </div>
  );
}
