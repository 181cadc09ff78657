import { Linkified } from './Linkified';

export const chatTime = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** One chat message (room or lobby): author, time, text as text with safe links, and its delivery state. */
export function ChatMessage({
  name,
  sentAt,
  text,
  mine,
  status,
  onRetry,
}: {
  name: string;
  sentAt: number;
  text: string;
  mine: boolean;
  status: 'sent' | 'pending' | 'failed';
  onRetry: () => void;
}) {
  return (
    <li className={`message ${mine ? 'mine' : ''} ${status}`} data-testid="chat-message" data-status={status}>
      <span className="meta">
        <strong>{name}</strong> <span className="muted">{chatTime(sentAt)}</span>
      </span>
      <span className="text">
        <Linkified text={text} />
      </span>
      {status === 'pending' && <span className="muted small">sending…</span>}
      {status === 'failed' && (
        <button type="button" className="button ghost" onClick={onRetry}>
          Not sent — retry
        </button>
      )}
    </li>
  );
}
