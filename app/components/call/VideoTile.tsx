'use client';
import { useEffect, useRef, useState } from 'react';

interface Props {
  stream: MediaStream | null;
  label: string;
  muted: boolean;
  mirror?: boolean;
  className?: string;
  testId?: string;
  audioOff?: boolean;
  videoOff?: boolean;
}

/** A video with its name, mic/camera state, and a fallback when the browser blocks autoplay. */
export function VideoTile({ stream, label, muted, mirror, className, testId, audioOff, videoOff }: Props) {
  const ref = useRef<HTMLVideoElement>(null);
  const [blocked, setBlocked] = useState(false);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = stream;
    if (stream) el.play().then(() => setBlocked(false), () => setBlocked(true));
  }, [stream]);

  const showVideo = !!stream && !videoOff && stream.getVideoTracks().length > 0;
  return (
    <figure className={`tile ${className ?? ''}`} data-testid={testId}>
      <video ref={ref} autoPlay playsInline muted={muted} className={mirror ? 'mirror' : undefined} hidden={!showVideo} />
      {!showVideo && (
        <div className="tile-placeholder" aria-hidden>
          {label.slice(0, 1).toUpperCase()}
        </div>
      )}
      <figcaption>
        {label}
        {audioOff && <span className="badge muted-badge">muted</span>}
        {videoOff && <span className="badge">camera off</span>}
      </figcaption>
      {blocked && (
        <button type="button" className="button primary tile-play" onClick={() => void ref.current?.play().then(() => setBlocked(false))}>
          Click to play
        </button>
      )}
    </figure>
  );
}
