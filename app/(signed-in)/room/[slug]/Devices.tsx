'use client';
import { useEffect, useState } from 'react';
import type { useRoom } from '@/lib/client/hooks/useRoom';

type Room = ReturnType<typeof useRoom>;

/** Whether this browser lets a page choose the audio output device. */
const canChooseOutput = () => typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

/**
 * Camera, microphone and speaker during the meeting. A camera or microphone change swaps the
 * track live (no renegotiation); the speaker applies to every participant's audio.
 */
export function Devices({ room, sinkId, onSink }: { room: Room; sinkId: string; onSink: (id: string) => void }) {
  const [devices, setDevices] = useState<MediaDeviceInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const md = navigator.mediaDevices;
    if (!md?.enumerateDevices) return;
    const load = () => void md.enumerateDevices().then(setDevices, () => undefined);
    load();
    md.addEventListener('devicechange', load);
    return () => md.removeEventListener('devicechange', load);
  }, []);

  const current = (kind: 'audio' | 'video') =>
    room.state.devices[kind] ?? room.localStream?.getTracks().find((t) => t.kind === kind)?.getSettings().deviceId ?? '';
  const switchTo = (kind: 'audio' | 'video', id: string) => {
    setError(null);
    room.switchDevice(kind, id).catch(() => setError(kind === 'video' ? 'Could not switch to that camera' : 'Could not switch to that microphone'));
  };
  if (devices === null) return <p className="muted devices">Looking for your devices…</p>;
  const options = (kind: MediaDeviceKind) =>
    devices
      .filter((d) => d.kind === kind)
      .map((d, i) => (
        <option key={d.deviceId || i} value={d.deviceId}>
          {d.label || `${kind === 'videoinput' ? 'Camera' : kind === 'audioinput' ? 'Microphone' : 'Speaker'} ${i + 1}`}
        </option>
      ));

  return (
    <div className="devices" data-testid="devices">
      <label>
        Camera
        <select value={current('video')} onChange={(e) => switchTo('video', e.target.value)} disabled={!room.hasCamera}>
          {options('videoinput')}
        </select>
      </label>
      <label>
        Microphone
        <select value={current('audio')} onChange={(e) => switchTo('audio', e.target.value)} disabled={!room.hasMic}>
          {options('audioinput')}
        </select>
      </label>
      {canChooseOutput() ? (
        <label>
          Speaker
          <select value={sinkId} onChange={(e) => onSink(e.target.value)}>
            <option value="">System default</option>
            {options('audiooutput')}
          </select>
        </label>
      ) : (
        <p className="muted">This browser plays sound on its default output device.</p>
      )}
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
