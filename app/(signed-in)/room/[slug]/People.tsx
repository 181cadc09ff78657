'use client';
import type { useRoom } from '@/lib/client/hooks/useRoom';
import { DEFAULT_LISTEN, type ListenPrefs } from './RoomAudio';

type Room = ReturnType<typeof useRoom>;

interface PeopleProps {
  room: Room;
  me: { id: string };
  isHost: boolean;
  listen: Record<string, ListenPrefs>;
  onListen: (userId: string, prefs: Partial<ListenPrefs>) => void;
}

export function People({ room, me, isHost, listen, onListen }: PeopleProps) {
  const { state } = room;
  const { hands, spotlight } = state.meeting;
  const nameOf = (userId: string) => state.participants.find((p) => p.userId === userId)?.name ?? 'Someone';
  return (
    <div className="people-panel">
      {isHost && state.waiting.length > 0 && (
        <section aria-label="Waiting to join" data-testid="waiting-list">
          <h2 className="panel-title">Waiting to join ({state.waiting.length})</h2>
          <ul className="hands">
            {state.waiting.map((w) => (
              <li key={w.userId} data-testid="waiting-entry" data-user-name={w.name}>
                <span className="name">{w.name}</span>
                <button type="button" className="button primary" onClick={() => void room.host.admit(w.userId)} aria-label={`Admit ${w.name}`}>
                  Admit
                </button>
                <button type="button" className="button ghost" onClick={() => void room.host.deny(w.userId)} aria-label={`Deny ${w.name}`}>
                  Deny
                </button>
              </li>
            ))}
          </ul>
          {state.waiting.length > 1 && (
            <button type="button" className="button ghost" onClick={() => void room.host.admitAll()}>
              Admit all
            </button>
          )}
        </section>
      )}
      {hands.length > 0 && (
        <section aria-label="Raised hands">
          <h2 className="panel-title">Raised hands</h2>
          <ol className="hands" data-testid="raised-hands">
            {hands.map((userId, i) => (
              <li key={userId} data-testid="raised-hand" data-user-id={userId}>
                <span className="muted">{i + 1}.</span>
                <span className="name">{userId === me.id ? 'You' : nameOf(userId)}</span>
                {(isHost || userId === me.id) && (
                  <button
                    type="button"
                    className="button ghost"
                    onClick={() => void (userId === me.id ? room.setHand(false) : room.host.lowerHand(userId))}
                    aria-label={userId === me.id ? 'Lower your hand' : `Lower ${nameOf(userId)}'s hand`}
                  >
                    Lower
                  </button>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
      <ul className="people compact" data-testid="participants">
        {state.participants.map((p) => {
          const mic = Object.values(state.remotes).find((x) => x.userId === p.userId && x.source === 'mic');
          const muted = p.userId === me.id ? !room.mic : !mic || mic.paused;
          const hand = hands.indexOf(p.userId);
          return (
            <li key={p.userId} className="person" data-testid="participant" data-user-name={p.name}>
              <span className="avatar" aria-hidden>
                {p.name.slice(0, 1).toUpperCase()}
              </span>
              <span className="name">
                {p.name}
                {p.userId === me.id && ' (you)'}
                {p.isHost && <span className="badge">host</span>}
                {spotlight === p.userId && <span className="badge">spotlight</span>}
              </span>
              {hand >= 0 && (
                <span className="status" role="img" aria-label={`Hand raised, number ${hand + 1}`}>
                  ✋ {hand + 1}
                </span>
              )}
              {p.connection === 'reconnecting' && <span className="status">reconnecting…</span>}
              {muted && <span className="status">muted</span>}
              {(isHost || p.userId !== me.id) && (
                <details className="menu">
                  <summary aria-label={`Actions for ${p.userId === me.id ? 'yourself' : p.name}`}>⋯</summary>
                  {/* A chosen action closes the menu (the volume slider keeps it open while it moves). */}
                  <div
                    className="menu-items"
                    onClick={(e) => {
                      if ((e.target as HTMLElement).closest('button')) (e.currentTarget.parentElement as HTMLDetailsElement).open = false;
                    }}
                  >
                    {p.userId !== me.id && <Listening name={p.name} prefs={listen[p.userId] ?? DEFAULT_LISTEN} onChange={(v) => onListen(p.userId, v)} />}
                    {isHost && (
                      <button type="button" onClick={() => void room.host.spotlight(spotlight === p.userId ? null : p.userId)}>
                        {spotlight === p.userId ? 'Remove spotlight' : 'Spotlight for everyone'}
                      </button>
                    )}
                    {isHost && p.userId !== me.id && (
                      <>
                        <button type="button" disabled={muted} onClick={() => void room.host.mute(p.userId)} aria-label={`Mute ${p.name}`}>
                          Mute for everyone
                        </button>
                        <button type="button" onClick={() => void room.host.remove(p.userId)} aria-label={`Remove ${p.name}`}>
                          Remove from the meeting
                        </button>
                      </>
                    )}
                  </div>
                </details>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** How loud this viewer hears one participant: only here, nobody else is affected. */
function Listening({ name, prefs, onChange }: { name: string; prefs: ListenPrefs; onChange: (p: Partial<ListenPrefs>) => void }) {
  return (
    <div className="listening">
      <label>
        Volume
        <input
          type="range"
          min={0}
          max={100}
          value={Math.round(prefs.volume * 100)}
          onChange={(e) => onChange({ volume: Number(e.target.value) / 100 })}
          aria-label={`Volume for ${name}`}
        />
      </label>
      <button type="button" aria-pressed={prefs.muted} onClick={() => onChange({ muted: !prefs.muted })} aria-label={`${prefs.muted ? 'Unmute' : 'Mute'} ${name} for me`}>
        {prefs.muted ? 'Unmute for me' : 'Mute for me'}
      </button>
    </div>
  );
}
