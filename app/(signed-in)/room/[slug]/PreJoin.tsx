'use client';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { acquireMedia, stopStream, type MediaProblem } from '@/lib/client/media';
import type { JoinOptions } from '@/lib/client/hooks/useRoom';
import type { RoomState } from '@/lib/client/sfu/roomReducer';
import type { RoomMeta } from './RoomView';

interface Props {
  meta: RoomMeta;
  joining: boolean;
  /** Our knock, in a room with a waiting room. */
  knock: RoomState['knock'];
  error: { code: string; message: string } | null;
  onJoin: (options: JoinOptions) => void;
  onCancelKnock: () => void;
  /** Gets the media device ready while the user looks at the preview (saves a round trip on Join). */
  onPrepare: () => Promise<void>;
}

/** Camera/mic preview with device choice, then "Join". The previewed stream is what gets sent. */
export function PreJoin({ meta, joining, knock, error, onJoin, onCancelKnock, onPrepare }: Props) {
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [problem, setProblem] = useState<MediaProblem | null>(null);
  const [loading, setLoading] = useState(true);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [camId, setCamId] = useState('');
  const [micId, setMicId] = useState('');
  const [micOn, setMicOn] = useState(true);
  const [cameraOn, setCameraOn] = useState(true);
  const video = useRef<HTMLVideoElement>(null);
  const handedOver = useRef(false);
  const current = useRef<MediaStream | null>(null);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    const constraints = camId ? { deviceId: { exact: camId } } : undefined;
    void acquireMedia(constraints ?? undefined, micId ? { deviceId: { exact: micId } } : undefined).then(async (r) => {
      if (cancelled) return stopStream(r.stream);
      stopStream(current.current);
      current.current = r.stream;
      setStream(r.stream);
      setProblem(r.problem);
      setLoading(false);
      if (navigator.mediaDevices?.enumerateDevices) setDevices(await navigator.mediaDevices.enumerateDevices());
    });
    return () => {
      cancelled = true;
    };
  }, [camId, micId]);

  // A failure here is not shown: Join prepares again and reports what goes wrong.
  useEffect(() => void onPrepare().catch(() => undefined), [onPrepare]);

  // The stream goes to the room on join; otherwise it is ours to stop.
  useEffect(() => () => void (!handedOver.current && stopStream(current.current)), []);

  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
  }, [stream]);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const password = String(new FormData(e.currentTarget).get('password') ?? '') || undefined;
    handedOver.current = true;
    onJoin({ password, stream, micOn, cameraOn });
  }

  const cams = devices.filter((d) => d.kind === 'videoinput');
  const mics = devices.filter((d) => d.kind === 'audioinput');
  const hasVideo = !!stream?.getVideoTracks().length;
  const hasAudio = !!stream?.getAudioTracks().length;

  return (
    <main className="page prejoin">
      <section className="panel">
        <h1>{meta.name}</h1>
        <p className="muted">Hosted by {meta.hostName}</p>
        <div className="tile preview" data-testid="prejoin-preview">
          <video ref={video} autoPlay playsInline muted className="mirror" hidden={!hasVideo || !cameraOn} />
          {(!hasVideo || !cameraOn) && <div className="tile-placeholder">{loading ? '…' : 'Camera off'}</div>}
        </div>
        {problem && (
          <p className="notice" role="status">
            <strong>{problem.title}.</strong> {problem.detail}
          </p>
        )}
        <form onSubmit={submit} className="prejoin-form">
          <div className="row">
            <label>
              Camera
              <select value={camId} onChange={(e) => setCamId(e.target.value)} disabled={!cams.length}>
                {cams.length === 0 && <option value="">No camera</option>}
                {cams.map((d, i) => (
                  <option key={d.deviceId || i} value={d.deviceId}>
                    {d.label || `Camera ${i + 1}`}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Microphone
              <select value={micId} onChange={(e) => setMicId(e.target.value)} disabled={!mics.length}>
                {mics.length === 0 && <option value="">No microphone</option>}
                {mics.map((d, i) => (
                  <option key={d.deviceId || i} value={d.deviceId}>
                    {d.label || `Microphone ${i + 1}`}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="row">
            {/* The same words as in the meeting: the button says what it does; its colour shows the state. */}
            <button type="button" className={`button ${micOn ? '' : 'off'}`} onClick={() => setMicOn(!micOn)} disabled={!hasAudio}>
              {micOn ? 'Mute' : 'Unmute'}
            </button>
            <button type="button" className={`button ${cameraOn ? '' : 'off'}`} onClick={() => setCameraOn(!cameraOn)} disabled={!hasVideo}>
              {cameraOn ? 'Camera off' : 'Camera on'}
            </button>
          </div>
          {meta.needsPassword && (
            <label>
              Room password
              <input name="password" type="password" required autoComplete="off" />
            </label>
          )}
          {error && (
            <p className="error" role="alert" data-testid="join-error">
              {error.message}
            </p>
          )}
          {knock ? (
            <div className="notice" role="status" data-testid="knock-waiting">
              <p>
                {knock.status === 'knocking'
                  ? 'Asking to join…'
                  : knock.hostPresent
                    ? 'Waiting for the host to let you in'
                    : 'The host has not joined yet. You will be let in once they arrive and admit you.'}
              </p>
              <button type="button" className="button" onClick={onCancelKnock}>
                Cancel
              </button>
            </div>
          ) : (
            <button type="submit" className="button primary" disabled={joining || loading}>
              {joining ? 'Joining…' : meta.waitingRoom ? 'Ask to join' : 'Join'}
            </button>
          )}
        </form>
      </section>
    </main>
  );
}
