'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { useRoom } from '@/lib/client/hooks/useRoom';
import { Chat } from './Chat';
import { Grid } from './Grid';
import { People } from './People';

type Room = ReturnType<typeof useRoom>;

export function InRoom({ room, me }: { room: Room; me: { id: string; name: string } }) {
  const router = useRouter();
  const { state } = room;
  const [panel, setPanel] = useState<'people' | 'chat'>('people');
  const isHost = state.participants.some((p) => p.userId === me.id && p.isHost);

  async function leave() {
    await room.leave();
    router.push('/lobby');
  }

  return (
    <main className="room" data-testid="room" data-media-state={room.media} data-connection={state.connection}>
      <div className="room-head">
        <strong>{state.room?.name}</strong>
        <span className="muted">{state.participants.length} in the room</span>
        {state.room?.locked && <span className="badge">locked</span>}
        {room.media !== 'connected' && room.media !== 'new' && <span className="link link-disconnected">Media: {room.media}</span>}
      </div>
      {state.connection === 'reconnecting' && (
        <p className="notice" role="status" data-testid="room-reconnecting">
          Connection lost. Reconnecting… your seat is kept.
        </p>
      )}
      {state.connection === 'connected' && state.media === 'reconnecting' && (
        <p className="notice" role="status" data-testid="media-reconnecting">
          Reconnecting media…
        </p>
      )}
      {state.notice && (
        <p className="notice" role="status" data-testid="room-notice">
          {state.notice}{' '}
          <button type="button" className="button ghost" onClick={room.dismissNotice}>
            OK
          </button>
        </p>
      )}
      <div className="room-body">
        <Grid room={room} me={me} />
        <aside className="room-side">
          <div className="tabs" role="tablist">
            <button type="button" role="tab" aria-selected={panel === 'people'} onClick={() => setPanel('people')}>
              People ({state.participants.length})
            </button>
            <button type="button" role="tab" aria-selected={panel === 'chat'} onClick={() => setPanel('chat')}>
              Chat
            </button>
          </div>
          {panel === 'people' ? <People room={room} me={me} isHost={isHost} /> : <Chat room={room} me={me} />}
        </aside>
      </div>
      <div className="controls" role="toolbar" aria-label="Meeting controls">
        <button type="button" className={`button round ${room.mic ? '' : 'off'}`} onClick={() => void room.toggleMic()} disabled={!room.hasMic}>
          {room.mic ? 'Mute' : 'Unmute'}
        </button>
        <button type="button" className={`button round ${room.camera ? '' : 'off'}`} onClick={() => void room.toggleCamera()} disabled={!room.hasCamera}>
          {room.camera ? 'Camera off' : 'Camera on'}
        </button>
        <button type="button" className="button round" onClick={() => void room.toggleScreen()}>
          {room.screen ? 'Stop sharing' : 'Share screen'}
        </button>
        {isHost && (
          <>
            <button type="button" className="button round" onClick={() => void room.host.lock(!state.room?.locked)}>
              {state.room?.locked ? 'Unlock room' : 'Lock room'}
            </button>
            <button type="button" className="button round danger" onClick={() => void room.host.end()}>
              End for all
            </button>
          </>
        )}
        <button type="button" className="button round danger" onClick={() => void leave()}>
          Leave
        </button>
      </div>
    </main>
  );
}
