'use client';
/**
 * Media and the peer connection of a 1:1 call: acquires camera/mic (with fallbacks), builds the
 * PeerLink at once and gives it our media when that is settled, relays signals through the server,
 * follows the peer's reconnects, and exposes mic/camera toggles. It runs in the app-wide
 * CallProvider (not in the call view), so the connection is under way before the view is shown;
 * everything is torn down when the call ends.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { CALL_STATS_INTERVAL_MS, type CallInfo, type MediaState, type MediaTroublePhase } from '../../protocol';
import { acquireMedia, stopStream, type MediaProblem } from '../media';
import { fetchIceConfig } from '../ice';
import { takePreparedIce, takePreparedMedia } from '../p2p/callPrep';
import { PeerLink, type LinkState } from '../p2p/PeerLink';
import { signalInbox } from '../p2p/signalInbox';
import { readStats, summarize, type RtcStat, type StatsReading } from '../p2p/statsSummary';
import { checkConnection, getSocket, request, RequestError } from '../socket';

export type MediaGate = 'acquiring' | 'blocked' | 'ready';

export interface PeerCall {
  gate: MediaGate;
  problem: MediaProblem | null;
  local: MediaStream | null;
  remote: MediaStream | null;
  linkState: LinkState;
  peerReconnecting: boolean;
  /** Our own socket is down: the media may still flow, but nothing reaches the server. */
  serverLost: boolean;
  peerMedia: MediaState;
  mic: boolean;
  camera: boolean;
  hasMic: boolean;
  hasCamera: boolean;
  toggleMic(): void;
  toggleCamera(): Promise<void>;
  retryMedia(): void;
  continueReceiveOnly(): void;
}

/**
 * `call` is the active call, or the caller's own call while it still rings: the caller's link is
 * built then and makes its offer, which the link holds (with its ICE candidates) until the call is
 * `live` (accepted) and then sends at once; offering took ~45 ms of every call set-up on a busy
 * machine.
 */
export function usePeerCall(
  call: CallInfo | null,
  live: boolean,
  me: string,
  onIceFailed: (phase: MediaTroublePhase) => void,
  /** The server no longer has this call (it ended while our socket was away): end it here too. */
  onCallGone: (callId: string) => void,
): PeerCall {
  const [gate, setGate] = useState<MediaGate>('acquiring');
  const [problem, setProblem] = useState<MediaProblem | null>(null);
  const [local, setLocal] = useState<MediaStream | null>(null);
  const [remote, setRemote] = useState<MediaStream | null>(null);
  const [linkState, setLinkState] = useState<LinkState>('new');
  const [peerReconnecting, setPeerReconnecting] = useState(false);
  const [serverLost, setServerLost] = useState(false);
  const [peerMedia, setPeerMedia] = useState<MediaState>({ audio: true, video: true });
  const [mic, setMic] = useState(true);
  const [camera, setCamera] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const [generation, setGeneration] = useState(0);
  const linkRef = useRef<PeerLink | null>(null);
  const [link, setLink] = useState<PeerLink | null>(null);
  const localRef = useRef<MediaStream | null>(null);
  const onIceFailedRef = useRef(onIceFailed);
  onIceFailedRef.current = onIceFailed;
  const onCallGoneRef = useRef(onCallGone);
  onCallGoneRef.current = onCallGone;
  // A camera that was turned off is still "ours": hasCamera says whether we had one to start with.
  const [hadCamera, setHadCamera] = useState(false);
  const callId = call?.callId ?? null;
  const polite = call ? call.callee.id === me : false;

  // The hook lives as long as the app shell, across calls: a new call starts from a clean slate.
  // Reset while rendering (not in an effect), so no effect ever sees the last call's state.
  const [stateOf, setStateOf] = useState(callId);
  if (stateOf !== callId) {
    setStateOf(callId);
    setGate('acquiring');
    setProblem(null);
    setLocal(null);
    setRemote(null);
    setLinkState('new');
    setPeerReconnecting(false);
    setPeerMedia({ audio: true, video: true });
    setMic(true);
    setCamera(true);
    setHadCamera(false);
  }

  // 1. Camera and microphone, released when the call ends (or on "Try again").
  useEffect(() => {
    if (!callId) return;
    let cancelled = false;
    let acquired: MediaStream | null = null;
    setGate('acquiring');
    // Normally started by the accept already (callPrep); "Try again" asks afresh.
    const media = takePreparedMedia(callId) ?? acquireMedia();
    void media.then(({ stream, problem: p }) => {
      if (cancelled) return stopStream(stream);
      acquired = stream;
      localRef.current = stream;
      setLocal(stream);
      setProblem(p);
      setMic(!!stream?.getAudioTracks().length);
      setCamera(!!stream?.getVideoTracks().length);
      setHadCamera(!!stream?.getVideoTracks().length);
      setGate(p?.kind === 'permission-denied' ? 'blocked' : 'ready');
    });
    return () => {
      cancelled = true;
      stopStream(acquired);
      if (localRef.current === acquired) localRef.current = null;
    };
  }, [callId, attempt]);

  // 2. The peer connection, built at once (it applies the caller's offer while our camera is still
  // starting) and given our media when it is settled (2b). Rebuilt (generation++) when the peer reloads.
  useEffect(() => {
    if (!callId) return;
    const socket = getSocket();
    const inbox = signalInbox(socket);
    let built: PeerLink | null = null;
    let disposed = false;
    let unsubscribe = () => {};

    const ice = takePreparedIce(callId) ?? fetchIceConfig();
    void ice.then(({ iceServers, iceTransportPolicy }) => {
      if (disposed) return;
      built = new PeerLink({
        polite,
        iceServers,
        iceTransportPolicy,
        send: (signal) => void request('call:signal', { callId, signal }).catch(() => undefined),
        onRemoteStream: (s) => setRemote(new MediaStream(s.getTracks())),
        onState: (state) => {
          setLinkState(state);
          // Media stalled: the network may have changed under the signalling connection too.
          if (state === 'disconnected' || state === 'failed') void checkConnection();
        },
        onFailed: (phase) => onIceFailedRef.current(phase),
        onError: (err) => console.warn('[confab] negotiation error', err),
      });
      linkRef.current = built;
      setLink(built);
      const link = built;
      unsubscribe = inbox.subscribe(callId, (signal) => link.receive(signal));
      const known = inbox.lastPeerMedia(callId);
      if (known) setPeerMedia(known);
    });

    return () => {
      disposed = true;
      unsubscribe();
      built?.close();
      if (linkRef.current === built) linkRef.current = null;
      setLink(null);
      setRemote(null);
      setLinkState('new');
    };
  }, [callId, polite, generation]);

  // 2b. Our camera and microphone (or none: receive-only) go to the link once media is settled.
  useEffect(() => {
    if (!link || gate !== 'ready') return;
    const stream = localRef.current;
    link.attach(stream);
    // Honour toggles made before the link existed.
    const audio = stream?.getAudioTracks()[0];
    if (audio && !audio.enabled) void link.replaceTrack('audio', null);
  }, [link, gate]);

  // 3. What the server tells us about the peer, and our own socket coming back.
  useEffect(() => {
    if (!callId) return;
    const socket = getSocket();
    const onPeerMedia = (m: { callId: string } & MediaState) => {
      if (m.callId === callId) setPeerMedia({ audio: m.audio, video: m.video });
    };
    const onPeerLink = (m: { callId: string; state: 'reconnecting' | 'resumed'; fresh?: boolean }) => {
      if (m.callId !== callId) return;
      setPeerReconnecting(m.state === 'reconnecting');
      if (m.state === 'resumed' && m.fresh) {
        // The peer reloaded: its old connection is gone, so build a new one from scratch.
        signalInbox(socket).reset(callId);
        setGeneration((g) => g + 1);
      }
    };
    let wasDisconnected = false;
    const onDisconnect = () => {
      wasDisconnected = true;
      setServerLost(true);
    };
    const onReconnect = () => {
      setServerLost(false);
      if (!wasDisconnected) return;
      wasDisconnected = false;
      // Also after a restart of the web process, which takes the call over (CallRegistry.resume).
      void request('call:resume', { callId, fresh: false })
        .then(() => {
          const link = linkRef.current;
          // Signalling was down: anything the ICE agent wanted to tell the peer may be lost.
          if (link && link.pc.connectionState !== 'connected') link.restartIce();
        })
        .catch((err: unknown) => {
          // The server has no such call for us: it ended while we were away (the call:ended was
          // lost with the socket) or the server restarted too long ago. Never show a call the
          // server does not know. A timeout or a busy server is left to the next reconnect.
          if (err instanceof RequestError && ['NOT_FOUND', 'FORBIDDEN', 'INVALID_STATE'].includes(err.code)) {
            onCallGoneRef.current(callId);
          }
        });
    };
    setServerLost(socket.disconnected);
    socket.on('call:peer-media', onPeerMedia);
    socket.on('call:peer-link', onPeerLink);
    socket.on('disconnect', onDisconnect);
    socket.on('connect', onReconnect);
    return () => {
      socket.off('call:peer-media', onPeerMedia);
      socket.off('call:peer-link', onPeerLink);
      socket.off('disconnect', onDisconnect);
      socket.off('connect', onReconnect);
    };
  }, [callId]);

  // 4. A getStats() summary for the admin dashboard every few seconds while media flows.
  useEffect(() => {
    if (!callId || linkState !== 'connected') return;
    let previous: StatsReading | null = null;
    const report = async () => {
      const pc = linkRef.current?.pc;
      if (!pc || pc.connectionState === 'closed') return;
      try {
        const reading = readStats([...(await pc.getStats()).values()] as RtcStat[], Date.now());
        const stats = previous && summarize(previous, reading);
        previous = reading;
        if (stats) await request('call:stats', { callId, stats });
      } catch {
        // Best effort: a report lost to a closing connection or a busy server is simply skipped.
      }
    };
    void report(); // the baseline, so the first summary arrives one interval from now
    const timer = setInterval(() => void report(), CALL_STATS_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [callId, linkState]);

  const announce = useCallback(
    (audio: boolean, video: boolean) => {
      if (callId) void request('call:media', { callId, audio, video }).catch(() => undefined);
    },
    [callId],
  );

  // 2c. The call is answered: the link speaks to the peer from now on (PeerLink.peerReady), and
  // the peer hears what we send.
  useEffect(() => {
    if (live) link?.peerReady();
  }, [link, live]);
  useEffect(() => {
    if (!link || !live || gate !== 'ready') return;
    const stream = localRef.current;
    announce(!!stream?.getAudioTracks()[0]?.enabled, !!stream?.getVideoTracks().some((t) => t.readyState === 'live'));
  }, [link, live, gate, announce]);

  const toggleMic = useCallback(() => {
    const track = localRef.current?.getAudioTracks()[0];
    if (!track) return;
    const on = !track.enabled;
    track.enabled = on;
    // Sending no track (rather than a disabled one) stops the audio RTP altogether.
    void linkRef.current?.replaceTrack('audio', on ? track : null);
    setMic(on);
    announce(on, !!localRef.current?.getVideoTracks().length);
  }, [announce]);

  const toggleCamera = useCallback(async () => {
    const stream = localRef.current;
    if (!stream) return;
    const current = stream.getVideoTracks()[0];
    if (current) {
      // Off: stop the track so the camera light goes out too.
      await linkRef.current?.replaceTrack('video', null);
      current.stop();
      stream.removeTrack(current);
      setLocal(new MediaStream(stream.getTracks()));
      setCamera(false);
      announce(!!stream.getAudioTracks()[0]?.enabled, false);
      return;
    }
    try {
      const fresh = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 1280 }, height: { ideal: 720 } },
      });
      const track = fresh.getVideoTracks()[0]!;
      stream.addTrack(track);
      await linkRef.current?.replaceTrack('video', track);
      setLocal(new MediaStream(stream.getTracks()));
      setCamera(true);
      announce(!!stream.getAudioTracks()[0]?.enabled, true);
    } catch {
      setProblem({
        kind: 'in-use',
        title: 'Could not turn the camera on',
        detail: 'The camera is unavailable or blocked.',
      });
    }
  }, [announce]);

  const hasMic = !!local?.getAudioTracks().length;

  return {
    gate,
    problem,
    local,
    remote,
    linkState,
    peerReconnecting,
    serverLost,
    peerMedia,
    mic,
    camera,
    hasMic,
    hasCamera: hadCamera,
    toggleMic,
    toggleCamera,
    retryMedia: () => setAttempt((a) => a + 1),
    continueReceiveOnly: () => {
      setProblem({
        kind: 'no-devices',
        title: 'Receive-only',
        detail: 'You can see and hear the other side; they cannot see or hear you.',
      });
      setGate('ready');
    },
  };
}
