/** RTCIceServer as sent to browsers (credentials are short-lived, minted per user). */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/** 'relay': every peer connection goes through TURN (ICE_TRANSPORT_POLICY), never directly. */
export type IceTransportPolicy = 'all' | 'relay';

/** What `ice:config` answers: everything a browser needs to build its peer connections. */
export interface IceConfig {
  iceServers: IceServer[];
  iceTransportPolicy: IceTransportPolicy;
}

/**
 * A media connection that did not work (`media:trouble`, counted in /metrics):
 * - `connect`: it never connected within MEDIA_CONNECT_DEADLINE_MS;
 * - `lost`: it was connected, failed, and recovery did not bring it back.
 */
export const mediaTroubleScopes = ['room', 'call'] as const;
export const mediaTroublePhases = ['connect', 'lost'] as const;
export type MediaTroubleScope = (typeof mediaTroubleScopes)[number];
export type MediaTroublePhase = (typeof mediaTroublePhases)[number];

/** How long a new media connection may take before the user is told it is not coming. */
export const MEDIA_CONNECT_DEADLINE_MS = 8_000;
/** How long a lost media connection may take to come back (ICE restarts included) before the user is told. */
export const MEDIA_LOST_DEADLINE_MS = 12_000;

export type MediaDirection = 'send' | 'recv';

const TRY =
  'Your network may block the UDP and TCP ports it uses (a firewall, a VPN, guest Wi-Fi), or the server gives browsers an address ' +
  "they can't reach. Try another network; if it keeps happening, ask your admin to set up a TURN server or check SFU_ANNOUNCED_IP.";

/** What a room's user is told, for the transports in trouble: what happened, and what to try (a call says it as its end reason, 'ice-failed'). */
export function roomMediaTroubleText(phase: MediaTroublePhase, directions: readonly MediaDirection[]): string {
  if (phase === 'lost') {
    return 'The media connection to the server was lost and has not come back. Your network may have changed or started blocking it. Still trying; you can also try again now or rejoin.';
  }
  const send = directions.includes('send');
  const recv = directions.includes('recv');
  if (send && !recv) return `Your audio and video can't reach the media server, so the others don't see or hear you. ${TRY}`;
  if (recv && !send) return `The media server can't reach you, so you don't see or hear the others. ${TRY}`;
  return `Your audio and video can't reach the media server, so nobody sees or hears you and you don't see or hear them. ${TRY}`;
}
