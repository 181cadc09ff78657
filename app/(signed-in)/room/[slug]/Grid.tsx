'use client';
import { useEffect, useRef } from 'react';
import type { useRoom } from '@/lib/client/hooks/useRoom';
import type { Quality } from '@/lib/client/sfu/quality';
import type { RemoteMedia } from '@/lib/client/sfu/roomReducer';

type Room = ReturnType<typeof useRoom>;

interface TileSpec {
  key: string;
  name: string;
  userId: string;
  source: 'camera' | 'screen';
  video?: RemoteMedia;
  audio?: RemoteMedia;
  reconnecting: boolean;
}

const qualityText: Record<Quality, string> = { good: 'Good connection', fair: 'Fair connection', poor: 'Poor connection' };

/** The worse of a tile's streams decides its indicator. */
function tileQuality(...streams: (RemoteMedia | undefined)[]): Quality | null {
  const qs = streams.map((s) => s?.quality).filter((q): q is Quality => !!q);
  return qs.includes('poor') ? 'poor' : qs.includes('fair') ? 'fair' : qs.length ? 'good' : null;
}

/** One tile per participant (camera + mic), plus one per screen share; screens get the big slots. */
export function Grid({ room, me }: { room: Room; me: { id: string; name: string } }) {
  const { state } = room;
  const tiles: TileSpec[] = [];
  const remotes = Object.values(state.remotes);
  for (const p of state.participants) {
    if (p.userId === me.id) continue;
    const theirs = remotes.filter((x) => x.userId === p.userId);
    const reconnecting = p.connection === 'reconnecting';
    tiles.push({
      key: `${p.userId}:camera`,
      name: p.name,
      userId: p.userId,
      source: 'camera',
      video: theirs.find((x) => x.source === 'camera'),
      audio: theirs.find((x) => x.source === 'mic'),
      reconnecting,
    });
    const screen = theirs.find((x) => x.source === 'screen');
    if (screen) tiles.unshift({ key: `${p.userId}:screen`, name: `${p.name} (screen)`, userId: p.userId, source: 'screen', video: screen, reconnecting });
  }
  const sharing = tiles.some((t) => t.source === 'screen');

  return (
    <div className={`grid ${sharing ? 'sharing' : ''}`} data-count={tiles.length + 1}>
      <LocalTile stream={room.localStream} name={me.name} cameraOn={room.camera} micOn={room.mic} speaking={state.activeSpeaker === me.id} />
      {tiles.map((t) => (
        <RemoteTile
          key={t.key}
          spec={t}
          videoTrack={t.video && !t.video.paused ? t.video.track : undefined}
          audioTrack={t.audio?.track}
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
  onChanged: (consumerId: string, width: number, visible: boolean) => void;
}

function RemoteTile({ spec, videoTrack, audioTrack, speaking, onChanged }: RemoteProps) {
  const box = useRef<HTMLElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const audio = useRef<HTMLAudioElement>(null);
  const consumerId = spec.video?.consumerId;

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
    if (!el || !consumerId) return;
    let width = el.clientWidth;
    let visible = true;
    const report = () => onChanged(consumerId, width, visible && document.visibilityState === 'visible');
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
  }, [consumerId, onChanged]);

  const micOff = spec.source === 'camera' && (!spec.audio || spec.audio.paused);
  const quality = tileQuality(spec.video, spec.audio);
  return (
    <figure
      ref={box}
      className={`tile ${speaking ? 'speaking' : ''} ${spec.source === 'screen' ? 'screen' : ''} ${spec.reconnecting ? 'reconnecting' : ''}`}
      data-testid="room-tile"
      data-user-name={spec.name}
      data-source={spec.source}
      data-speaking={speaking}
      data-connection={spec.reconnecting ? 'reconnecting' : 'connected'}
      data-quality={quality ?? 'unknown'}
    >
      {spec.reconnecting && (
        <div className="tile-status" role="status" data-testid="tile-reconnecting">
          Reconnecting…
        </div>
      )}
      <video ref={video} autoPlay playsInline muted hidden={!videoTrack} />
      {!videoTrack && <div className="tile-placeholder">{spec.name.slice(0, 1).toUpperCase()}</div>}
      {spec.source === 'camera' && <audio ref={audio} autoPlay />}
      <figcaption>
        {quality && (
          <span className={`quality quality-${quality}`} title={qualityText[quality]} aria-label={qualityText[quality]} data-testid="tile-quality" />
        )}
        {spec.name}
        {micOff && <span className="badge muted-badge">muted</span>}
        {spec.source === 'camera' && spec.video?.paused && <span className="badge">camera off</span>}
      </figcaption>
    </figure>
  );
}
