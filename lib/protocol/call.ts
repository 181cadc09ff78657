/** 1:1 call vocabulary shared by the server's call registry and the browser's call reducer. */

export interface CallParty {
  id: string;
  name: string;
}

/** Why a call ended. Persisted as CallSession.endReason. */
export const callEndReasons = [
  'hangup',
  'declined',
  'cancelled',
  'missed',
  'busy',
  'peer-lost',
  'ice-failed',
  'media-error',
  'answered-elsewhere',
  'ended-by-admin',
  'server-restart',
] as const;
export type CallEndReason = (typeof callEndReasons)[number];

/** Reasons a party may give when it ends an active call itself. */
export const hangupReasons = ['hangup', 'ice-failed', 'media-error'] as const;
export type HangupReason = (typeof hangupReasons)[number];

export type CallPhase = 'ringing' | 'active';

/** The server's view of a live call, as sent to its two parties. Times are epoch ms (server clock). */
export interface CallInfo {
  callId: string;
  caller: CallParty;
  callee: CallParty;
  phase: CallPhase;
  startedAt: number;
  answeredAt: number | null;
  /** When an unanswered call becomes a missed call. */
  ringDeadline: number;
}

export interface SessionDescriptionInit {
  type: 'offer' | 'answer';
  sdp: string;
}

export interface IceCandidateInit {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
  usernameFragment: string | null;
}

/** What one party relays to the other. `candidate: null` means end-of-candidates. */
export type CallSignal = { description: SessionDescriptionInit } | { candidate: IceCandidateInit | null };

export interface MediaState {
  audio: boolean;
  video: boolean;
}

/** What a party hears about the other party's signalling link. */
export type PeerLinkNotice =
  | { state: 'reconnecting'; graceMs: number }
  /** `fresh`: the peer came back with a new page, so both sides must rebuild their RTCPeerConnection. */
  | { state: 'resumed'; fresh: boolean };

export const endReasonText: Record<CallEndReason, string> = {
  hangup: 'Call ended',
  declined: 'Call declined',
  cancelled: 'Call cancelled',
  missed: 'No answer',
  busy: 'Busy',
  'peer-lost': 'Connection to the other side was lost',
  'ice-failed': 'The media connection failed',
  'media-error': 'A media error ended the call',
  'answered-elsewhere': 'Answered on another tab',
  'ended-by-admin': 'Ended by an admin',
  'server-restart': 'The server restarted',
};

/** What to try, for the end reasons where the user can do something about it. */
export const endReasonHint: Partial<Record<CallEndReason, string>> = {
  'ice-failed':
    'Your network or theirs may block direct (UDP) connections between browsers. ' +
    'Try another network; if it keeps happening, ask your admin to set up a TURN server.',
};

/** A call's address in the app: /call/<callId>. The call view itself lives in the signed-in shell. */
export const callPath = (callId: string) => `/call/${callId}`;

const CALL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Call ids are UUIDs (the server makes them). */
export const isCallId = (id: string) => CALL_ID.test(id);

/** The call id a pathname addresses, or null when it is not a (well-formed) call address. */
export function callIdInPath(pathname: string): string | null {
  const id = pathname.startsWith('/call/') ? pathname.slice('/call/'.length) : '';
  return isCallId(id) ? id : null;
}
