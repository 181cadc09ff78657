'use client';
import { useEffect, useRef } from 'react';
import type { RemoteMedia } from '@/lib/client/sfu/roomReducer';

/**
 * Every remote microphone plays, whatever the layout shows: a participant paged out of view, or
 * shown as an avatar, is still heard.
 */
export function RoomAudio({ remotes, nameOf }: { remotes: RemoteMedia[]; nameOf: (userId: string) => string }) {
  return (
    <div hidden>
      {remotes
        .filter((r) => r.kind === 'audio')
        .map((r) => (
          <RemoteAudio key={r.consumerId} track={r.track} name={nameOf(r.userId)} />
        ))}
    </div>
  );
}

function RemoteAudio({ track, name }: { track: MediaStreamTrack; name: string }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = new MediaStream([track]);
    void el.play().catch(() => undefined);
  }, [track]);
  return <audio ref={ref} autoPlay data-testid="room-audio" data-user-name={name} />;
}
