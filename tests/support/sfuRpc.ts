/**
 * Helpers for tests that speak the SFU node's RPC through a client: typed-error expectations, a
 * room with joined peers, and a producer with parameters a browser might send.
 */
import { expect } from 'vitest';
import { ProtocolError } from '@/lib/protocol';
import type { SfuMethod, SfuRequest } from '@/lib/protocol/sfuRpc';
import type { SfuNodeClient } from '@/lib/server/sfu/SfuNodeClient';
import { openRoomWith, opusParameters, vp8Parameters } from './sfu';

/** Orders consumer infos by source, so tests can compare lists. */
export const sourceOrder = (a: { source: string }, b: { source: string }) => a.source.localeCompare(b.source);

/** `client` is read at each call (test files create it in beforeAll). */
export function rpcHelpers(client: () => SfuNodeClient) {
  /** Expects the request to fail with a ProtocolError carrying `code`. */
  async function expectCode<M extends SfuMethod>(code: string, method: M, payload: SfuRequest<M>): Promise<void> {
    const outcome = await client()
      .request(method, payload)
      .then(
        () => 'success',
        (err: unknown) => (err instanceof ProtocolError ? err.code : err),
      );
    expect(outcome, method).toBe(code);
  }

  /** A room with joined peers (each with its send and recv transport), by transport id. */
  async function roomWith(roomId: string, peerIds: string[]) {
    const { rtpCapabilities, peers } = await openRoomWith(client(), roomId, peerIds);
    const transports: Record<string, { send: string; recv: string }> = {};
    for (const [peerId, joined] of Object.entries(peers))
      transports[peerId] = { send: joined.transports.send.id, recv: joined.transports.recv.id };
    return { rtpCapabilities, peers, transports };
  }

  /** A producer of `source` on the peer's send transport, with parameters a browser might send. */
  function produce(
    roomId: string,
    peerId: string,
    transportId: string,
    source: 'camera' | 'mic' | 'screen',
    ssrc: number,
  ) {
    return client().request('producer:create', {
      roomId,
      peerId,
      transportId,
      kind: source === 'mic' ? 'audio' : 'video',
      source,
      rtpParameters:
        source === 'mic'
          ? { ...opusParameters(ssrc), mid: String(ssrc) }
          : { ...vp8Parameters(ssrc), mid: String(ssrc) },
    });
  }

  return { expectCode, roomWith, produce };
}
