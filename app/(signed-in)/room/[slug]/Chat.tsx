'use client';
import { useEffect, useRef, type FormEvent } from 'react';
import { CHAT_MAX_CHARS } from '@/lib/protocol';
import type { useRoom } from '@/lib/client/hooks/useRoom';
import { ChatMessage } from '@/app/components/ChatMessage';

type Room = ReturnType<typeof useRoom>;

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
            <ChatMessage
              key={m.clientId}
              name={m.name}
              sentAt={m.sentAt}
              text={m.text}
              mine={m.userId === me.id}
              status={m.status}
              onRetry={() => room.retryChat(m.clientId)}
            />
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
