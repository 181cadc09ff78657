'use client';
import type { useRoom } from '@/lib/client/hooks/useRoom';

type Room = ReturnType<typeof useRoom>;

export function People({ room, me, isHost }: { room: Room; me: { id: string }; isHost: boolean }) {
  const { state } = room;
  return (
    <ul className="people compact" data-testid="participants">
      {state.participants.map((p) => {
        const mic = Object.values(state.remotes).find((x) => x.userId === p.userId && x.source === 'mic');
        const muted = p.userId === me.id ? !room.mic : !mic || mic.paused;
        return (
          <li key={p.userId} className="person" data-testid="participant" data-user-name={p.name}>
            <span className="avatar" aria-hidden>
              {p.name.slice(0, 1).toUpperCase()}
            </span>
            <span className="name">
              {p.name}
              {p.userId === me.id && ' (you)'}
              {p.isHost && <span className="badge">host</span>}
            </span>
            {p.connection === 'reconnecting' && <span className="status">reconnecting…</span>}
            {muted && <span className="status">muted</span>}
            {isHost && p.userId !== me.id && (
              <span className="row">
                <button type="button" className="button ghost" disabled={muted} onClick={() => void room.host.mute(p.userId)} aria-label={`Mute ${p.name}`}>
                  Mute
                </button>
                <button type="button" className="button ghost" onClick={() => void room.host.remove(p.userId)} aria-label={`Remove ${p.name}`}>
                  Remove
                </button>
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
