'use client';
import { useEffect, useRef } from 'react';
import type { RoomProducer } from '@/lib/protocol';
import type { useRoom } from '@/lib/client/hooks/useRoom';

type Room = ReturnType<typeof useRoom>;

interface TileSpec {
  key: string;
  name: string;
  userId: string;
  source: 'camera' | 'screen';
  video?: RoomProducer;
  audio?: RoomProducer;
}

/** One tile per participant (camera + mic), plus one per screen share; screens get the big slots. */
export function Grid({ room, me }: { room: Room; me: { id: string; name: string } }) {
  const { state } = room;
  const tiles: TileSpec[] = [];
  for (const p of state.participants) {
    if (p.userId === me.id) continue;
    const mine = state.producers.filter((x) => x.userId === p.userId);
    tiles.push({
      key: `${p.userId}:camera`,
      name: p.name,
      userId: p.userId,
      source: 'camera',
      video: mine.find((x) => x.source === 'camera'),
      audio: mine.find((x) => x.source === 'mic'),
    });
    const screen = mine.find((x) => x.source === 'screen');
    if (screen) tiles.unshift({ key: `${p.userId}:screen`, name: `${p.name} (screen)`, userId: p.userId, source: 'screen', video: screen });
  }
  const sharing = tiles.some((t) => t.source === 'screen');

  return (
    <div className={`grid ${sharing ? 'sharing' : ''}`} data-count={tiles.length + 1}>
      <LocalTile stream={room.localStream} name={me.name} cameraOn={room.camera} micOn={room.mic} speaking={state.activeSpeaker === me.id} />
      {tiles.map((t) => (
        <RemoteTile
          key={t.key}
          spec={t}
          videoTrack={t.video && !t.video.paused ? state.tracks[t.video.producerId] : undefined}
          audioTrack={t.audio ? state.tracks[t.audio.producerId] : undefined}
          speaking={t.source === 'camera' && state.activeSpeaker === t.userId}
          onChanged={room.tileChanged}
        />
      ))}
    </div>
  );
}

function LocalTile({ stream, name, cameraOn, micOn, speaking }: { stream: MediaStream | null; name: string; cameraOn: boolean; micOn: boolean; speaking: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.srcObject = stream;
  }, [stream]);
  const showVideo = cameraOn && !!stream?.getVideoTracks().length;
  return (
    <figure className={`tile ${speaking ? 'speaking' : ''}`} data-testid="room-tile" data-user-name={name} data-self="true">
      <video ref={ref} autoPlay playsInline muted className="mirror" hidden={!showVideo} />
      {!showVideo && <div className="tile-placeholder">{name.slice(0, 1).toUpperCase()}</div>}
      <figcaption>
        You{!micOn && <span className="badge muted-badge">muted</span>}
      </figcaption>
    </figure>
  );
}

interface RemoteProps {
  spec: TileSpec;
  videoTrack?: MediaStreamTrack;
  audioTrack?: MediaStreamTrack;
  speaking: boolean;
  onChanged: (producerId: string, width: number, visible: boolean) => void;
}

function RemoteTile({ spec, videoTrack, audioTrack, speaking, onChanged }: RemoteProps) {
  const box = useRef<HTMLElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const audio = useRef<HTMLAudioElement>(null);
  const producerId = spec.video?.producerId;

  useEffect(() => {
    if (video.current) video.current.srcObject = videoTrack ? new MediaStream([videoTrack]) : null;
  }, [videoTrack]);
  useEffect(() => {
    if (!audio.current) return;
    audio.current.srcObject = audioTrack ? new MediaStream([audioTrack]) : null;
    if (audioTrack) void audio.current.play().catch(() => undefined);
  }, [audioTrack]);

  // Report size and visibility so the SFU sends the right simulcast layer, or nothing.
  useEffect(() => {
    const el = box.current;
    if (!el || !producerId) return;
    let width = el.clientWidth;
    let visible = true;
    const report = () => onChanged(producerId, width, visible && document.visibilityState === 'visible');
    const resize = new ResizeObserver(([entry]) => {
      width = entry?.contentRect.width ?? width;
      report();
    });
    const intersect = new IntersectionObserver(([entry]) => {
      visible = !!entry?.isIntersecting;
      report();
    });
    resize.observe(el);
    intersect.observe(el);
    document.addEventListener('visibilitychange', report);
    return () => {
      resize.disconnect();
      intersect.disconnect();
      document.removeEventListener('visibilitychange', report);
    };
  }, [producerId, onChanged]);

  const micOff = spec.source === 'camera' && (!spec.audio || spec.audio.paused);
  return (
    <figure
      ref={box}
      className={`tile ${speaking ? 'speaking' : ''} ${spec.source === 'screen' ? 'screen' : ''}`}
      data-testid="room-tile"
      data-user-name={spec.name}
      data-source={spec.source}
      data-speaking={speaking}
    >
      <video ref={video} autoPlay playsInline muted hidden={!videoTrack} />
      {!videoTrack && <div className="tile-placeholder">{spec.name.slice(0, 1).toUpperCase()}</div>}
      {spec.source === 'camera' && <audio ref={audio} autoPlay />}
      <figcaption>
        {spec.name}
        {micOff && <span className="badge muted-badge">muted</span>}
        {spec.source === 'camera' && spec.video?.paused && <span className="badge">camera off</span>}
      </figcaption>
    </figure>
  );
}
