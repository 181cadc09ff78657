'use client';
import type { LobbyNotice, PresenceStatus, PresenceUser } from '@/lib/protocol';
import { useCall } from '@/lib/client/hooks/useCall';
import { useLobbyChat } from '@/lib/client/hooks/useLobbyChat';
import { usePresence } from '@/lib/client/hooks/usePresence';
import { LobbyChatPanel } from './LobbyChatPanel';
import { RoomClosedBanner } from './RoomClosedBanner';
import { RoomsPanel } from './RoomsPanel';

const statusLabel: Record<PresenceStatus, string> = {
  available: 'Available',
  ringing: 'Ringing',
  'in-call': 'In a call',
  'in-room': 'In a room',
};

export function LobbyView({ notice }: { notice: LobbyNotice | null }) {
  const presence = usePresence();
  const { state, call, me } = useCall();
  const idle = state.phase === 'idle' || state.phase === 'ended';
  const lobbyChat = useLobbyChat(me);

  return (
    <main className="page lobby-sections">
      {notice && <RoomClosedBanner notice={notice} />}
      <section className="panel">
        <div className="panel-head">
          <h1>Who is online</h1>
          {!presence.loading && (
            <span className="muted" data-testid="online-count">
              {presence.users.length} other{presence.users.length === 1 ? '' : 's'} online
            </span>
          )}
        </div>
        {presence.loading ? (
          <ul className="people" aria-busy="true" data-testid="lobby-loading">
            {[0, 1, 2].map((i) => (
              <li key={i} className="person skeleton" />
            ))}
          </ul>
        ) : presence.error ? (
          <p className="error" role="alert">
            Could not load who is online: {presence.error}
          </p>
        ) : presence.users.length === 0 ? (
          <div className="empty" data-testid="lobby-empty">
            <p>
              <strong>Nobody else is online right now.</strong>
            </p>
            <p className="muted">
              Share this address with a colleague. They will show up here as soon as they sign in.
            </p>
          </div>
        ) : (
          <ul className="people" data-testid="lobby-users">
            {presence.users.map((u) => (
              <Person
                key={u.id}
                user={u}
                canCall={idle}
                onCall={() => void call({ id: u.id, name: u.name })}
                onMessage={() => void lobbyChat.chat.openConversation(u.id)}
              />
            ))}
          </ul>
        )}
      </section>
      <LobbyChatPanel
        me={me.id}
        chat={lobbyChat.chat}
        state={lobbyChat.state}
        online={presence.users}
        canCall={idle}
        onCall={(u) => void call(u)}
      />
      <RoomsPanel />
    </main>
  );
}

function Person({ user, canCall, onCall, onMessage }: { user: PresenceUser; canCall: boolean; onCall: () => void; onMessage: () => void }) {
  const available = user.status === 'available';
  return (
    <li className="person" data-testid="lobby-user" data-user-name={user.name} data-status={user.status}>
      <span className="avatar" aria-hidden>
        {user.name.slice(0, 1).toUpperCase()}
      </span>
      <span className="name">{user.name}</span>
      <span className={`status status-${user.status}`} id={`status-${user.id}`}>
        {statusLabel[user.status]}
      </span>
      <button
        type="button"
        className="button primary"
        onClick={onCall}
        // Someone in a call, in a room or being rung cannot take a call: the button says why (the
        // server still answers BUSY if a status was stale).
        disabled={!canCall || !available}
        aria-label={`Call ${user.name}`}
        aria-describedby={available ? undefined : `status-${user.id}`}
        title={available ? `Call ${user.name}` : `${user.name} is ${statusLabel[user.status].toLowerCase()}`}
      >
        Call
      </button>
      <button type="button" className="button ghost" onClick={onMessage} aria-label={`Message ${user.name}`}>
        Message
      </button>
    </li>
  );
}
