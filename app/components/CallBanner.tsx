'use client';
import { usePathname } from 'next/navigation';
import { useEffect } from 'react';
import { endReasonHint, endReasonText } from '@/lib/protocol';
import { useCall } from '@/lib/client/hooks/useCall';
import { startRingtone } from '@/lib/client/ringtone';

/** Ringing, outgoing and "call ended" notices, shown over whatever page the user is on. */
export function CallBanner() {
  const { state, accept, decline, cancel, dismiss } = useCall();
  const onCallPage = usePathname().startsWith('/call/');

  const ringing = state.phase === 'incoming';
  useEffect(() => (ringing ? startRingtone() : undefined), [ringing]);

  if (state.phase === 'incoming' || state.phase === 'accepting') {
    const accepting = state.phase === 'accepting';
    return (
      <div className="callbanner incoming" role="alertdialog" aria-label="Incoming call" data-testid="incoming-call">
        <span className="pulse" aria-hidden />
        <strong>{state.call.caller.name} is calling</strong>
        <button type="button" className="button primary" onClick={() => void accept()} disabled={accepting}>
          {accepting ? 'Connecting…' : 'Accept'}
        </button>
        <button type="button" className="button danger" onClick={decline} disabled={accepting}>
          Decline
        </button>
      </div>
    );
  }
  if (state.phase === 'dialing' || state.phase === 'outgoing') {
    const name = state.phase === 'dialing' ? state.peer.name : state.call.callee.name;
    return (
      <div className="callbanner outgoing" role="status" data-testid="outgoing-call">
        <span className="pulse" aria-hidden />
        <strong>Calling {name}</strong>
        <span className="muted">{state.phase === 'dialing' ? 'Connecting…' : 'Ringing…'}</span>
        <button type="button" className="button danger" onClick={cancel}>
          Cancel
        </button>
      </div>
    );
  }
  if (state.phase === 'ended' && !onCallPage) {
    // The server's message is the most specific ("Bob is busy"); otherwise the reason's text.
    const text = state.message ?? (state.reason === 'failed' ? 'The call could not be placed' : endReasonText[state.reason]);
    return (
      <div className="callbanner ended" role="status" data-testid="call-ended">
        <strong>{text}</strong>
        {!text.includes(state.peer.name) && <span className="muted">{state.peer.name}</span>}
        {state.reason !== 'failed' && endReasonHint[state.reason] && <span className="muted">{endReasonHint[state.reason]}</span>}
        <button type="button" className="button ghost" onClick={dismiss}>
          Dismiss
        </button>
      </div>
    );
  }
  return null;
}
