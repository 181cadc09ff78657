'use client';
import { useState } from 'react';
import type { useRoom } from '@/lib/client/hooks/useRoom';
import { REACTIONS, type Reaction } from '@/lib/protocol';
import type { ViewPrefs } from './Grid';

type Room = ReturnType<typeof useRoom>;

/** Said by screen readers for each reaction button. */
const reactionNames: Record<Reaction, string> = {
  '👍': 'thumbs up',
  '👏': 'applause',
  '😂': 'laughter',
  '😮': 'surprise',
  '❤️': 'love',
  '🎉': 'celebration',
};

interface ControlsProps {
  room: Room;
  me: { id: string };
  isHost: boolean;
  prefs: ViewPrefs;
  onPrefs: (p: Partial<ViewPrefs>) => void;
  onLeave: () => void;
}

/** The meeting's toolbar: your media, hand and reactions, the view, and the host's room controls. */
export function Controls({ room, me, isHost, prefs, onPrefs, onLeave }: ControlsProps) {
  const { state } = room;
  const [reacting, setReacting] = useState(false);
  const handUp = state.meeting.hands.includes(me.id);
  return (
    <div className="controls" role="toolbar" aria-label="Meeting controls">
      <button type="button" className={`button round ${room.mic ? '' : 'off'}`} onClick={() => void room.toggleMic()} disabled={!room.hasMic} aria-keyshortcuts="M">
        {room.mic ? 'Mute' : 'Unmute'}
      </button>
      <button type="button" className={`button round ${room.camera ? '' : 'off'}`} onClick={() => void room.toggleCamera()} disabled={!room.hasCamera} aria-keyshortcuts="V">
        {room.camera ? 'Camera off' : 'Camera on'}
      </button>
      <button type="button" className="button round" onClick={() => void room.toggleScreen()} aria-keyshortcuts="D">
        {room.screen ? 'Stop sharing' : 'Share screen'}
      </button>
      <button type="button" className="button round" aria-pressed={handUp} onClick={() => void room.setHand(!handUp)} aria-keyshortcuts="R">
        {handUp ? 'Lower hand' : 'Raise hand'}
      </button>
      <button type="button" className="button round" aria-expanded={reacting} onClick={() => setReacting(!reacting)}>
        React
      </button>
      {reacting && (
        <div className="reaction-bar" role="group" aria-label="Reactions">
          {REACTIONS.map((r) => (
            <button key={r} type="button" className="button round" aria-label={`React with ${reactionNames[r]}`} onClick={() => void room.react(r)}>
              {r}
            </button>
          ))}
        </div>
      )}
      <button type="button" className="button round" onClick={() => onPrefs({ mode: prefs.mode === 'grid' ? 'speaker' : 'grid' })}>
        {prefs.mode === 'grid' ? 'Speaker view' : 'Grid view'}
      </button>
      {isHost && (
        <>
          <button type="button" className="button round" onClick={() => void room.host.lock(!state.room?.locked)}>
            {state.room?.locked ? 'Unlock room' : 'Lock room'}
          </button>
          <button type="button" className="button round" aria-pressed={!!state.room?.waitingRoom} onClick={() => void room.host.setWaitingRoom(!state.room?.waitingRoom)}>
            Waiting room
          </button>
          <button type="button" className="button round danger" onClick={() => void room.host.end()}>
            End for all
          </button>
        </>
      )}
      <button type="button" className="button round danger" onClick={onLeave}>
        Leave
      </button>
    </div>
  );
}
