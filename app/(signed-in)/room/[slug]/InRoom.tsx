'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { useRoom } from '@/lib/client/hooks/useRoom';
import { roomMediaTroubleText } from '@/lib/protocol';
import { Chat } from './Chat';
import { Controls } from './Controls';
import { Grid, type ViewPrefs } from './Grid';
import { Devices } from './Devices';
import { People } from './People';
import { ShortcutHelp, useShortcuts } from './Shortcuts';
import { DEFAULT_LISTEN, RoomAudio, type ListenPrefs } from './RoomAudio';

type Room = ReturnType<typeof useRoom>;

export function InRoom({ room, me }: { room: Room; me: { id: string; name: string } }) {
  const router = useRouter();
  const { state } = room;
  const [panel, setPanel] = useState<'people' | 'chat' | 'devices'>('people');
  const [listen, setListen] = useState<Record<string, ListenPrefs>>({});
  const [sinkId, setSinkId] = useState('');
  const changeListen = (userId: string, p: Partial<ListenPrefs>) =>
    setListen((old) => ({ ...old, [userId]: { ...DEFAULT_LISTEN, ...old[userId], ...p } }));
  const [help, setHelp] = useState(false);
  const [retrying, setRetrying] = useState(false);
  useShortcuts((action) => {
    if (action === 'mic') void room.toggleMic();
    else if (action === 'camera') void room.toggleCamera();
    else if (action === 'screen') void room.toggleScreen();
    else if (action === 'hand') void room.setHand(!state.meeting.hands.includes(me.id));
    else setHelp(action === 'help');
  });
  const nameOf = (userId: string) => state.participants.find((p) => p.userId === userId)?.name ?? 'Someone';
  const [prefs, setPrefs] = useState<ViewPrefs>({ mode: 'grid', pinned: null, page: 0 });
  const changePrefs = (p: Partial<ViewPrefs>) => setPrefs((old) => ({ ...old, ...p }));
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
        <span className="spacer" />
        <button type="button" className="button ghost" aria-keyshortcuts="?" onClick={() => setHelp(true)}>
          Keyboard shortcuts
        </button>
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
      {state.mediaTrouble && (
        <div className="notice error" role="alert" data-testid="media-trouble" data-trouble={state.mediaTrouble.phase}>
          <p>{roomMediaTroubleText(state.mediaTrouble.phase, state.mediaTrouble.directions)}</p>
          <button
            type="button"
            className="button"
            disabled={retrying}
            onClick={() => {
              room.retryMedia();
              setRetrying(true);
              setTimeout(() => setRetrying(false), 5_000);
            }}
          >
            {retrying ? 'Trying again…' : 'Try again'}
          </button>
        </div>
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
        <Grid room={room} me={me} prefs={prefs} onPrefs={changePrefs} />
        <aside className="room-side">
          <div className="tabs" role="tablist">
            <button type="button" role="tab" aria-selected={panel === 'people'} onClick={() => setPanel('people')}>
              People ({state.participants.length})
            </button>
            <button type="button" role="tab" aria-selected={panel === 'chat'} onClick={() => setPanel('chat')}>
              Chat
            </button>
            <button type="button" role="tab" aria-selected={panel === 'devices'} onClick={() => setPanel('devices')}>
              Devices
            </button>
          </div>
          {panel === 'people' && <People room={room} me={me} isHost={isHost} listen={listen} onListen={changeListen} />}
          {panel === 'chat' && <Chat room={room} me={me} />}
          {panel === 'devices' && <Devices room={room} sinkId={sinkId} onSink={setSinkId} />}
        </aside>
      </div>
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
      <RoomAudio remotes={Object.values(state.remotes)} nameOf={nameOf} listen={listen} sinkId={sinkId} />
      <Controls room={room} me={me} isHost={isHost} prefs={prefs} onPrefs={changePrefs} onLeave={() => void leave()} />
    </main>
  );
}
