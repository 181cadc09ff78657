/**
 * Camera and microphone acquisition with graceful fallbacks, each explained to the user:
 * no camera → audio only; nothing at all → receive only; permission denied → how to allow it.
 */
export type MediaProblemKind = 'no-camera' | 'no-devices' | 'permission-denied' | 'in-use' | 'insecure' | 'unknown';

export interface MediaProblem {
  kind: MediaProblemKind;
  title: string;
  detail: string;
}

export interface AcquiredMedia {
  stream: MediaStream | null;
  problem: MediaProblem | null;
}

const problems: Record<MediaProblemKind, Omit<MediaProblem, 'kind'>> = {
  'no-camera': { title: 'No camera found', detail: 'You joined with audio only. The other side can still hear you.' },
  'no-devices': {
    title: 'No camera or microphone found',
    detail: 'You are in receive-only mode: you can see and hear the other side, but they cannot see or hear you.',
  },
  'permission-denied': {
    title: 'Camera and microphone are blocked',
    detail:
      'Your browser denied access. Click the camera icon at the right of the address bar (or the padlock), ' +
      'choose "Allow" for camera and microphone, then press "Try again". You can also continue receive-only.',
  },
  'in-use': {
    title: 'Your camera is busy',
    detail: 'Another application is using the camera, so you joined with audio only. Close it and turn the camera on again.',
  },
  insecure: {
    title: 'Camera and microphone need a secure page',
    detail: 'Browsers only allow media on https:// or http://localhost. Ask your admin to serve Confab over HTTPS.',
  },
  unknown: { title: 'Could not start your camera or microphone', detail: 'You are in receive-only mode.' },
};

export const describeProblem = (kind: MediaProblemKind): MediaProblem => ({ kind, ...problems[kind] });

const nameOf = (err: unknown) => (err instanceof DOMException || err instanceof Error ? err.name : '');

async function get(constraints: MediaStreamConstraints): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia(constraints);
}

export async function acquireMedia(
  video: MediaTrackConstraints | boolean = { width: { ideal: 1280 }, height: { ideal: 720 } },
  audio: MediaTrackConstraints | boolean = true,
): Promise<AcquiredMedia> {
  if (!navigator.mediaDevices?.getUserMedia) return { stream: null, problem: describeProblem('insecure') };
  try {
    return { stream: await get({ audio, video }), problem: null };
  } catch (err) {
    const name = nameOf(err);
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      return { stream: null, problem: describeProblem('permission-denied') };
    }
    // Missing or busy camera: fall back to the microphone alone.
    const fallbackKind: MediaProblemKind = name === 'NotReadableError' || name === 'AbortError' ? 'in-use' : 'no-camera';
    try {
      return { stream: await get({ audio }), problem: describeProblem(fallbackKind) };
    } catch (audioErr) {
      const audioName = nameOf(audioErr);
      if (audioName === 'NotAllowedError') return { stream: null, problem: describeProblem('permission-denied') };
      if (audioName === 'NotFoundError') return { stream: null, problem: describeProblem('no-devices') };
      return { stream: null, problem: describeProblem('unknown') };
    }
  }
}

export function stopStream(stream: MediaStream | null) {
  stream?.getTracks().forEach((t) => t.stop());
}

/**
 * Moves `stream` to another camera or microphone: the new device's track is handed to `replace`
 * (a producer's replaceTrack: no renegotiation), then takes the old one's place in the stream, and
 * the old device is released. If `replace` fails, the new track is stopped and nothing changes.
 */
export async function swapDevice(
  stream: MediaStream,
  kind: 'audio' | 'video',
  deviceId: string,
  replace: (track: MediaStreamTrack) => Promise<void>,
): Promise<void> {
  const constraints = { deviceId: { exact: deviceId } };
  const fresh = await navigator.mediaDevices.getUserMedia(
    kind === 'video' ? { video: { ...constraints, width: { ideal: 1280 }, height: { ideal: 720 } } } : { audio: constraints },
  );
  const track = fresh.getTracks()[0];
  if (!track) return;
  try {
    await replace(track);
  } catch (err) {
    track.stop();
    throw err;
  }
  const old = stream.getTracks().find((t) => t.kind === kind);
  if (old) {
    stream.removeTrack(old);
    old.stop();
  }
  stream.addTrack(track);
}
