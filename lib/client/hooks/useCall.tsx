'use client';
/**
 * App-wide 1:1 call state: one reducer instance shared by the lobby (ringing) and the call page.
 * Local intents are dispatched at once and sent to the server; server events are dispatched as they
 * arrive. When a call becomes active the app moves to /call/[id]; when it ends, back to the lobby.
 */
import { usePathname, useRouter } from 'next/navigation';
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, type ReactNode } from 'react';
import { callPath, type CallEndReason, type CallInfo, type CallParty } from '../../protocol';
import { callIdOf, idle, makeCallReducer, type CallState } from '../p2p/callReducer';
import { discardPrepared, prepareCall } from '../p2p/callPrep';
import { signalInbox } from '../p2p/signalInbox';
import { getSocket, request, RequestError } from '../socket';
import { usePeerCall, type PeerCall } from './usePeerCall';

export interface CallApi {
  me: CallParty;
  state: CallState;
  call(peer: CallParty): Promise<void>;
  accept(): Promise<void>;
  decline(): void;
  cancel(): void;
  hangup(reason?: Extract<CallEndReason, 'hangup' | 'ice-failed' | 'media-error'>): void;
  resumed(call: CallInfo): void;
  dismiss(): void;
}

const CallContext = createContext<CallApi | null>(null);
const PeerCallContext = createContext<PeerCall | null>(null);

export function useCall(): CallApi {
  const api = useContext(CallContext);
  if (!api) throw new Error('useCall() needs a <CallProvider>');
  return api;
}

/** Media and connection of the active call (see usePeerCall). */
export function useActivePeerCall(): PeerCall {
  const peer = useContext(PeerCallContext);
  if (!peer) throw new Error('useActivePeerCall() needs a <CallProvider>');
  return peer;
}

const fireAndForget = (p: Promise<unknown>) => void p.catch(() => undefined);

export function CallProvider({ me, children }: { me: CallParty; children: ReactNode }) {
  const reducer = useMemo(() => makeCallReducer(me.id), [me.id]);
  const [state, dispatch] = useReducer(reducer, idle);
  const stateRef = useRef(state);
  stateRef.current = state;
  /** Cancel pressed before the invite's ack told us the call id. */
  const cancelWhenKnown = useRef(false);
  const router = useRouter();
  const pathname = usePathname();

  useEffect(() => {
    const socket = getSocket();
    const inbox = signalInbox(socket);
    const onIncoming = ({ call }: { call: CallInfo }) => dispatch({ type: 'incoming', call });
    const onAccepted = ({ call }: { call: CallInfo }) => {
      inbox.expect(call.callId);
      prepareCall(call.callId);
      dispatch({ type: 'accepted', call });
    };
    const onEnded = ({ callId, reason }: { callId: string; reason: CallEndReason }) => {
      discardPrepared(callId);
      dispatch({ type: 'ended', callId, reason });
    };
    socket.on('call:incoming', onIncoming);
    socket.on('call:accepted', onAccepted);
    socket.on('call:ended', onEnded);
    return () => {
      socket.off('call:incoming', onIncoming);
      socket.off('call:accepted', onAccepted);
      socket.off('call:ended', onEnded);
    };
  }, []);

  // Follow the call: into /call/[id] when it becomes active, back to the lobby once it has ended.
  // The call view belongs to the shell (CallStage), so entering a call only changes the address:
  // Next's router follows a plain pushState without fetching a page, which would compete with the
  // negotiation that starts at this very moment.
  const activeId = state.phase === 'active' ? state.call.callId : null;
  useEffect(() => {
    if (activeId && pathname !== callPath(activeId)) window.history.pushState(null, '', callPath(activeId));
  }, [activeId, pathname]);
  useEffect(() => {
    if (state.phase !== 'ended') return;
    const onCallPage = pathname.startsWith('/call/');
    const timer = setTimeout(
      () => {
        dispatch({ type: 'dismiss' });
        if (onCallPage) router.push('/lobby');
      },
      onCallPage ? 1500 : 6000,
    );
    return () => clearTimeout(timer);
  }, [state, pathname, router]);

  const call = useCallback(async (peer: CallParty) => {
    cancelWhenKnown.current = false;
    dispatch({ type: 'dial', peer });
    try {
      const { call: info } = await request('call:invite', { calleeId: peer.id });
      if (cancelWhenKnown.current && info.phase === 'ringing') {
        fireAndForget(request('call:cancel', { callId: info.callId }));
        return;
      }
      if (info.phase === 'active') signalInbox(getSocket()).expect(info.callId);
      // The camera starts while it rings (as a video call's caller expects), so it is ready the
      // moment the callee accepts. Released when the call ends unanswered.
      prepareCall(info.callId, info.phase === 'ringing' ? info.ringDeadline - info.startedAt : 0);
      dispatch({ type: 'invite-sent', call: info });
    } catch (err) {
      const e = err instanceof RequestError ? err : new RequestError('INTERNAL', String(err));
      dispatch({ type: 'invite-failed', code: e.code, message: e.message });
    }
  }, []);

  const accept = useCallback(async () => {
    const s = stateRef.current;
    if (s.phase !== 'incoming') return;
    dispatch({ type: 'accept' });
    try {
      signalInbox(getSocket()).expect(s.call.callId);
      // Camera and ICE servers start now, while the accept goes round.
      prepareCall(s.call.callId);
      const { call: info } = await request('call:accept', { callId: s.call.callId });
      dispatch({ type: 'accepted', call: info });
    } catch (err) {
      discardPrepared(s.call.callId);
      dispatch({ type: 'accept-failed', message: (err as Error).message });
    }
  }, []);

  const api = useMemo<CallApi>(
    () => ({
      me,
      state,
      call,
      accept,
      decline() {
        const s = stateRef.current;
        if (s.phase !== 'incoming') return;
        fireAndForget(request('call:decline', { callId: s.call.callId }));
        dispatch({ type: 'decline' });
      },
      cancel() {
        const s = stateRef.current;
        if (s.phase === 'dialing') cancelWhenKnown.current = true;
        const callId = callIdOf(s);
        if (s.phase === 'outgoing' && callId) fireAndForget(request('call:cancel', { callId }));
        if (callId) discardPrepared(callId);
        dispatch({ type: 'cancel' });
      },
      hangup(reason = 'hangup') {
        const s = stateRef.current;
        if (s.phase !== 'active') return;
        fireAndForget(request('call:hangup', { callId: s.call.callId, reason }));
        dispatch({ type: 'hangup', reason });
      },
      resumed(info) {
        dispatch({ type: 'resumed', call: info });
      },
      dismiss() {
        dispatch({ type: 'dismiss' });
      },
    }),
    [me, state, call, accept],
  );

  // The call's media and connection live here, beside the call state, not in the call view: the
  // caller's link starts while it rings (see usePeerCall), the callee's once it accepts.
  const linkCall = state.phase === 'active' || state.phase === 'outgoing' ? state.call : null;
  const peer = usePeerCall(
    linkCall,
    state.phase === 'active',
    me.id,
    (phase) => {
      // Counted in /metrics (the page ends the call; a lie is bounded by the server's rate limit).
      request('media:trouble', { scope: 'call', phase }).catch(() => undefined);
      api.hangup('ice-failed');
    },
    (callId) => {
      discardPrepared(callId);
      dispatch({ type: 'lost', callId, message: 'The call ended while you were offline' });
    },
  );

  return (
    <CallContext.Provider value={api}>
      <PeerCallContext.Provider value={peer}>{children}</PeerCallContext.Provider>
    </CallContext.Provider>
  );
}
