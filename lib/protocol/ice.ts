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
