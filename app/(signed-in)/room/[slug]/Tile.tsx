'use client';
import { useEffect, useRef } from 'react';
import type { Quality } from '@/lib/client/sfu/quality';
import type { RemoteMedia } from '@/lib/client/sfu/roomReducer';

export interface TileSpec {
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

/** A tile's size, set by the layout (it keeps the video's aspect ratio). */
export interface TileBox {
  width: number;
  height: number;
}

interface PinProps {
  pinned: boolean;
  onPin: () => void;
}

/** What floats over a participant's tile: their raised hand (with its place in the queue) and reactions. */
export interface TileOverlay {
  hand: number | null;
  reactions: { id: number; reaction: string }[];
}

function Overlay({ hand, reactions }: TileOverlay) {
  return (
    <>
      {hand !== null && (
        <span className="tile-hand" role="img" aria-label={`Hand raised, number ${hand + 1}`} data-testid="tile-hand">
          ✋ {hand + 1}
        </span>
      )}
      {reactions.length > 0 && (
        <div className="reactions">
          {reactions.map((r) => (
            <span key={r.id} className="reaction" style={{ left: `${5 + ((r.id * 37) % 80)}%` }} data-testid="reaction">
              {r.reaction}
            </span>
          ))}
        </div>
      )}
    </>
  );
}

function PinButton({ name, pinned, onPin }: PinProps & { name: string }) {
  return (
    <button type="button" className="tile-action" onClick={onPin} aria-pressed={pinned} aria-label={`${pinned ? 'Unpin' : 'Pin'} ${name}`}>
      {pinned ? 'Unpin' : 'Pin'}
    </button>
  );
}

export function LocalTile({
  stream,
  name,
  cameraOn,
  micOn,
  speaking,
  box,
  overlay,
  ...pin
}: { stream: MediaStream | null; name: string; cameraOn: boolean; micOn: boolean; speaking: boolean; box: TileBox; overlay: TileOverlay } & PinProps) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.srcObject = stream;
  }, [stream]);
  const showVideo = cameraOn && !!stream?.getVideoTracks().length;
  return (
    <figure className={`tile ${speaking ? 'speaking' : ''}`} style={box} data-testid="room-tile" data-user-name={name} data-self="true">
      <video ref={ref} autoPlay playsInline muted className="mirror" hidden={!showVideo} />
      {!showVideo && <div className="tile-placeholder">{name.slice(0, 1).toUpperCase()}</div>}
      <Overlay {...overlay} />
      <PinButton name="yourself" {...pin} />
      <figcaption>
        You{!micOn && <span className="badge muted-badge">muted</span>}
      </figcaption>
    </figure>
  );
}

interface RemoteProps extends PinProps {
  spec: TileSpec;
  videoTrack?: MediaStreamTrack;
  speaking: boolean;
  box: TileBox;
  overlay: TileOverlay;
  onChanged: (consumerId: string, width: number, visible: boolean) => void;
}

export function RemoteTile({ spec, videoTrack, speaking, box: size, overlay, onChanged, ...pin }: RemoteProps) {
  const box = useRef<HTMLElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const consumerId = spec.video?.consumerId;

  useEffect(() => {
    if (video.current) video.current.srcObject = videoTrack ? new MediaStream([videoTrack]) : null;
  }, [videoTrack]);

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
      style={size}
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
      {spec.source === 'camera' && <Overlay {...overlay} />}
      <PinButton name={spec.name} {...pin} />
      <figcaption>
        {quality && (
          <span className={`quality quality-${quality}`} title={qualityText[quality]} role="img" aria-label={qualityText[quality]} data-testid="tile-quality" />
        )}
        {spec.name}
        {micOff && <span className="badge muted-badge">muted</span>}
        {spec.source === 'camera' && spec.video?.paused && <span className="badge">camera off</span>}
      </figcaption>
    </figure>
  );
}
