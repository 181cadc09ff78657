/** Small types shared by the SFU node's modules. */
import type { z } from 'zod';
import type { ProducerSource } from '../lib/protocol/mediasoupSchemas';
import type { SfuEvent, SfuEventPayload, SfuMethod, sfuRpcSpecs } from '../lib/protocol/sfuRpc';

/** A request after its schema ran (defaults applied), as handlers see it. */
export type SfuParsedRequest<M extends SfuMethod> = z.output<(typeof sfuRpcSpecs)[M]['req']>;

/** Pushes a node→web event to the connected web process(es). */
export type EmitSfuEvent = <E extends SfuEvent>(event: E, payload: SfuEventPayload<E>) => void;

/**
 * Stamped on every producer. mediasoup copies a producer's appData onto its pipe producers, so a
 * producer seen on another router (e.g. by the active-speaker observer) still names its peer.
 */
export interface ProducerAppData {
  [key: string]: unknown;
  peerId: string;
  source: ProducerSource;
}

export interface TransportAppData {
  [key: string]: unknown;
  direction: 'send' | 'recv';
  /** Set once connect() succeeded: DTLS parameters are given once per transport. */
  connected: boolean;
}
