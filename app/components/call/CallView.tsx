'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { endReasonHint, endReasonText } from '@/lib/protocol';
import { useActivePeerCall, useCall } from '@/lib/client/hooks/useCall';
import { signalInbox } from '@/lib/client/p2p/signalInbox';
import { getSocket, request } from '@/lib/client/socket';
import { Duration } from './Duration';
import { VideoTile } from './VideoTile';

const linkText: Record<RTCPeerConnectionState, string> = {
  new: 'Setting up…',
  connecting: 'Connecting…',
  connected: 'Connected',
  disconnected: 'Connection unstable — recovering…',
  failed: 'Connection failed — retrying…',
  closed: 'Closed',
};

export function CallView({ callId }: { callId: string }) {
  const { me, state, hangup, resumed } = useCall();
  const active = state.phase === 'active' && state.call.callId === callId ? state.call : null;
  const [missing, setMissing] = useState<string | null>(null);

  // Opened directly or reloaded: ask the server to hand this call to this page.
  useEffect(() => {
    if (active || state.phase === 'ended') return;
    let cancelled = false;
    // The peer starts renegotiating the moment we resume; keep what it sends until our link exists.
    signalInbox(getSocket()).expect(callId);
    request('call:resume', { callId, fresh: true })
      .then(({ call }) => !cancelled && resumed(call))
      .catch((err: Error) => !cancelled && setMissing(err.message));
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only on arrival
  }, [callId]);

  const peer = useActivePeerCall();

  if (state.phase === 'ended' && state.callId === callId) {
    return (
      <main className="centered">
        <div className="card" data-testid="call-over">
          <h1>{state.reason === 'failed' ? (state.message ?? 'Call failed') : endReasonText[state.reason]}</h1>
          {state.reason !== 'failed' && endReasonHint[state.reason] && <p data-testid="call-hint">{endReasonHint[state.reason]}</p>}
          <p className="muted">Returning to the lobby…</p>
        </div>
      </main>
    );
  }
  if (!active) {
    return (
      <main className="centered">
        <div className="card">
          {missing ? (
            <>
              <h1>This call is not available</h1>
              <p className="muted">{missing}</p>
              <Link className="button" href="/lobby">
                Back to the lobby
              </Link>
            </>
          ) : (
            <p className="muted">Rejoining the call…</p>
          )}
        </div>
      </main>
    );
  }

  const other = active.caller.id === me.id ? active.callee : active.caller;
  const status = peer.serverLost
    ? `${linkText[peer.linkState]} · reconnecting to the server…`
    : peer.peerReconnecting
      ? `${other.name} is reconnecting…`
      : linkText[peer.linkState];

  return (
    <main className="call" data-testid="call-view" data-link-state={peer.linkState}>
      <div className="call-head">
        <strong>{other.name}</strong>
        <Duration since={active.answeredAt ?? active.startedAt} />
        <span className={`link link-${peer.peerReconnecting ? 'disconnected' : peer.linkState}`} data-testid="link-state">
          {status}
        </span>
      </div>

      {peer.gate === 'blocked' && peer.problem && (
        <div className="notice error" role="alert" data-testid="media-blocked">
          <strong>{peer.problem.title}</strong>
          <p>{peer.problem.detail}</p>
          <div className="row">
            <button type="button" className="button primary" onClick={peer.retryMedia}>
              Try again
            </button>
            <button type="button" className="button" onClick={peer.continueReceiveOnly}>
              Continue receive-only
            </button>
          </div>
        </div>
      )}
      {peer.gate === 'ready' && peer.problem && (
        <div className="notice" role="status" data-testid="media-notice">
          <strong>{peer.problem.title}.</strong> {peer.problem.detail}
        </div>
      )}

      <div className="stage">
        <VideoTile
          stream={peer.remote}
          label={other.name}
          muted={false}
          className="remote"
          testId="remote-video"
          audioOff={!peer.peerMedia.audio}
          videoOff={!peer.peerMedia.video}
        />
        <VideoTile
          stream={peer.local}
          label="You"
          muted
          mirror
          className="local"
          testId="local-video"
          audioOff={!peer.mic}
          videoOff={!peer.camera}
        />
      </div>

      <div className="controls" role="toolbar" aria-label="Call controls">
        <button
          type="button"
          className={`button round ${peer.mic ? '' : 'off'}`}
          onClick={peer.toggleMic}
          disabled={!peer.hasMic}
          aria-pressed={!peer.mic}
          data-testid="toggle-mic"
        >
          {peer.mic ? 'Mute' : 'Unmute'}
        </button>
        <button
          type="button"
          className={`button round ${peer.camera ? '' : 'off'}`}
          onClick={() => void peer.toggleCamera()}
          disabled={!peer.hasCamera}
          aria-pressed={!peer.camera}
          data-testid="toggle-camera"
        >
          {peer.camera ? 'Camera off' : 'Camera on'}
        </button>
        <button type="button" className="button round danger" onClick={() => hangup()} data-testid="hangup">
          Hang up
        </button>
      </div>
    </main>
  );
}
