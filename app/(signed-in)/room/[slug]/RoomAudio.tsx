'use client';
import { useEffect, useRef } from 'react';
import type { RemoteMedia } from '@/lib/client/sfu/roomReducer';

/** How this viewer hears one participant (local only: nobody else is affected). */
export interface ListenPrefs {
  /** 0–1 */
  volume: number;
  muted: boolean;
}

export const DEFAULT_LISTEN: ListenPrefs = { volume: 1, muted: false };

interface RoomAudioProps {
  remotes: RemoteMedia[];
  nameOf: (userId: string) => string;
  listen: Record<string, ListenPrefs>;
  /** The audio output device (setSinkId), where the browser supports choosing one. */
  sinkId: string;
}

/**
 * Every remote microphone plays, whatever the layout shows: a participant paged out of view, or
 * shown as an avatar, is still heard.
 */
export function RoomAudio({ remotes, nameOf, listen, sinkId }: RoomAudioProps) {
  return (
    <div hidden>
      {remotes
        .filter((r) => r.kind === 'audio')
        .map((r) => (
          <RemoteAudio key={r.consumerId} track={r.track} name={nameOf(r.userId)} prefs={listen[r.userId] ?? DEFAULT_LISTEN} sinkId={sinkId} />
        ))}
    </div>
  );
}

type SinkableAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

function RemoteAudio({ track, name, prefs, sinkId }: { track: MediaStreamTrack; name: string; prefs: ListenPrefs; sinkId: string }) {
  const ref = useRef<SinkableAudio>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = new MediaStream([track]);
    void el.play().catch(() => undefined);
  }, [track]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.volume = prefs.volume;
    el.muted = prefs.muted;
  }, [prefs.volume, prefs.muted]);
  useEffect(() => {
    const el = ref.current;
    if (el?.setSinkId && sinkId) void el.setSinkId(sinkId).catch(() => undefined);
  }, [sinkId]);
  return <audio ref={ref} autoPlay data-testid="room-audio" data-user-name={name} />;
}
