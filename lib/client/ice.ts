import type { IceConfig } from '../protocol';
import { request } from './socket';

/**
 * The ICE servers (with this user's short-lived TURN credentials) and the transport policy, for
 * one peer connection or SFU transport. When the server cannot answer, the browser tries with no
 * ICE server at all: a direct connection may still work, and an error is shown if it does not.
 */
export function fetchIceConfig(): Promise<IceConfig> {
  return request('ice:config', {}).catch((): IceConfig => ({ iceServers: [], iceTransportPolicy: 'all' }));
}
