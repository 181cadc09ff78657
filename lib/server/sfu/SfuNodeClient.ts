/**
 * The web process's typed client for one SFU node (socket.io-client, shared-secret handshake).
 *
 * - `request(method, payload)` resolves with the response, validated with the method's `res`
 *   schema, or rejects with a ProtocolError: the node's own code for `{ok:false}` acks, INTERNAL
 *   for a response that breaks the contract, SfuUnavailableError when the node cannot answer.
 * - Requests are never queued while disconnected: socket.io would replay them on reconnect, long
 *   after the caller gave up, against a node whose state may have changed. They fail at once.
 * - `on(event)` delivers node events validated with their schema; invalid ones are logged and dropped.
 * - Connection state: connecting → connected ⇄ reconnecting, → refused (bad secret; no retry) or
 *   closed. Every change goes through one setter that logs `old -> new` and notifies listeners.
 */
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import { ErrorCode, ProtocolError } from '../../protocol/errors';
import {
  sfuEventSpecs,
  sfuRpcSpecs,
  type SfuEvent,
  type SfuEventPayload,
  type SfuHandshakeAuth,
  type SfuMethod,
  type SfuNodeEmitEvents,
  type SfuNodeListenEvents,
  type SfuRequest,
  type SfuResponse,
} from '../../protocol/sfuRpc';
import type { Logger } from '../logger';

export type SfuConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'refused' | 'closed';

/** The node could not answer: not connected, connection lost mid-request, or timed out. */
export class SfuUnavailableError extends ProtocolError {
  constructor(message: string) {
    super(ErrorCode.Internal, message);
    this.name = 'SfuUnavailableError';
  }
}

export interface SfuNodeClientOptions {
  /** e.g. http://127.0.0.1:4100 (SfuNode.url); https:// when the node serves TLS. */
  url: string;
  secret: string;
  /** PEM CA certificate(s) to verify an https:// node with (a private CA or a self-signed node). */
  ca?: string;
  log: Logger;
  /** Per request; a request that times out may still have run on the node. Default 10 s. */
  requestTimeoutMs?: number;
  /**
   * Reconnect backoff, randomised ±50%. Defaults 100 → 500 ms: rooms on a node that restarts wait
   * for this connection to re-create their media, and an attempt at a closed port costs nothing.
   */
  reconnectDelayMs?: number;
  reconnectDelayMaxMs?: number;
}

type NodeSocket = Socket<SfuNodeEmitEvents, SfuNodeListenEvents>;
type Listener<E extends SfuEvent> = (payload: SfuEventPayload<E>) => void;

const ackSchema = z.union([
  z.strictObject({ ok: z.literal(true), data: z.unknown() }),
  z.strictObject({
    ok: z.literal(false),
    error: z.strictObject({ code: z.enum(ErrorCode), message: z.string().max(2000) }),
  }),
]);

export class SfuNodeClient {
  /** The node's RPC address, as configured (names the node in logs and on the admin dashboard). */
  readonly url: string;
  private readonly socket: NodeSocket;
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly listeners = new Map<SfuEvent, Set<Listener<never>>>();
  private readonly stateListeners = new Set<(state: SfuConnectionState, previous: SfuConnectionState) => void>();
  /** Rejecters of in-flight requests, failed all at once when the connection drops. */
  private readonly inFlight = new Set<(err: Error) => void>();
  private _state: SfuConnectionState = 'connecting';

  constructor(opts: SfuNodeClientOptions) {
    this.url = opts.url;
    this.log = opts.log.child({ sfuNode: opts.url });
    this.timeoutMs = opts.requestTimeoutMs ?? 10_000;
    const auth: SfuHandshakeAuth = { secret: opts.secret };
    this.socket = io(opts.url, {
      auth,
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: opts.reconnectDelayMs ?? 100,
      reconnectionDelayMax: opts.reconnectDelayMaxMs ?? 500,
      randomizationFactor: 0.5,
      // With no `ca`, Node's own trust store verifies the node; verification is never turned off.
      ...(opts.ca ? { ca: opts.ca } : {}),
    });

    this.socket.on('connect', () => this.setState('connected'));
    this.socket.on('disconnect', (reason) => {
      this.failInFlight(`SFU node connection lost (${reason})`);
      if (this._state === 'closed') return;
      // Only close() ends it. A node that stops gracefully disconnects us itself, and socket.io
      // does not retry that on its own; the node may be restarting, so retry (with backoff) anyway.
      this.setState('reconnecting', reason);
      if (reason === 'io server disconnect') this.socket.connect();
    });
    this.socket.on('connect_error', (err) => {
      // A refusal by the node's auth middleware leaves the socket inactive: socket.io will not
      // retry it, and retrying with the same secret would be refused again anyway.
      if (!this.socket.active) this.setState('refused', err.message);
      else this.log.debug({ err: err.message }, 'SFU node connection attempt failed');
    });

    for (const event of Object.keys(sfuEventSpecs) as SfuEvent[]) {
      (this.socket.on as (e: string, l: (p: unknown) => void) => void)(event, (payload) =>
        this.deliver(event, payload),
      );
    }
  }

  get state(): SfuConnectionState {
    return this._state;
  }

  get connected(): boolean {
    return this._state === 'connected';
  }

  /** Resolves once connected; rejects if refused, closed, or not connected within `timeoutMs`. */
  waitConnected(timeoutMs = this.timeoutMs): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new SfuUnavailableError('SFU node connection timed out')), timeoutMs);
      const off = this.onStateChange((state) => {
        if (state === 'connected') finish();
        else if (state === 'refused' || state === 'closed')
          finish(new SfuUnavailableError(`SFU node connection ${state}`));
      });
      const finish = (err?: Error) => {
        clearTimeout(timer);
        off();
        if (err) reject(err);
        else resolve();
      };
    });
  }

  request<M extends SfuMethod>(method: M, payload: SfuRequest<M>): Promise<SfuResponse<M>> {
    if (!this.connected) return Promise.reject(new SfuUnavailableError(`SFU node is ${this._state}`));
    return new Promise<SfuResponse<M>>((resolve, reject) => {
      const settle = (err: Error | undefined, value?: SfuResponse<M>) => {
        if (!this.inFlight.delete(fail)) return; // already settled (the connection dropped first)
        if (err) reject(err);
        else resolve(value as SfuResponse<M>);
      };
      const fail = (err: Error) => settle(err);
      this.inFlight.add(fail);

      // socket.io's own timeout, so that a request the node never answers does not leave its ack
      // callback behind in the socket.
      const socket = this.socket.timeout(this.timeoutMs);
      const emit = socket.emit as (
        event: string,
        payload: unknown,
        ack: (err: Error | null, raw: unknown) => void,
      ) => void;
      emit.call(socket, method, payload, (err, raw) => {
        if (err) return settle(new SfuUnavailableError(`${method} timed out after ${this.timeoutMs} ms`));
        try {
          settle(undefined, this.parseAck(method, raw));
        } catch (parseError) {
          settle(parseError as Error);
        }
      });
    });
  }

  /** Subscribes to a node event; returns the unsubscribe function. */
  on<E extends SfuEvent>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  onStateChange(listener: (state: SfuConnectionState, previous: SfuConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  close(): void {
    this.setState('closed');
    this.socket.disconnect();
    this.failInFlight('SFU node client closed');
  }

  private parseAck<M extends SfuMethod>(method: M, raw: unknown): SfuResponse<M> {
    const ack = ackSchema.safeParse(raw);
    if (!ack.success) throw this.contractBreach(method, 'a malformed ack', ack.error);
    if (!ack.data.ok) throw new ProtocolError(ack.data.error.code, ack.data.error.message);
    const data = sfuRpcSpecs[method].res.safeParse(ack.data.data);
    if (!data.success) throw this.contractBreach(method, 'an invalid response', data.error);
    return data.data as SfuResponse<M>;
  }

  private contractBreach(method: SfuMethod, what: string, error: z.ZodError): ProtocolError {
    const issue = error.issues[0];
    this.log.error({ method, issue }, `SFU node sent ${what}`);
    return new ProtocolError(ErrorCode.Internal, `SFU node sent ${what} to ${method}`);
  }

  private deliver(event: SfuEvent, payload: unknown): void {
    const parsed = sfuEventSpecs[event].safeParse(payload);
    if (!parsed.success) {
      this.log.warn({ event, issue: parsed.error.issues[0] }, 'invalid SFU node event dropped');
      return;
    }
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as Listener<typeof event>)(parsed.data as never);
      } catch (err) {
        this.log.error({ err, event }, 'SFU event listener failed');
      }
    }
  }

  private failInFlight(message: string): void {
    for (const fail of [...this.inFlight]) fail(new SfuUnavailableError(message));
  }

  private setState(next: SfuConnectionState, reason?: string): void {
    const previous = this._state;
    if (previous === next || previous === 'closed') return;
    this._state = next;
    const level = next === 'refused' || next === 'reconnecting' ? 'warn' : 'info';
    this.log[level]({ reason }, `SFU node connection ${previous} -> ${next}`);
    for (const listener of this.stateListeners) {
      try {
        listener(next, previous);
      } catch (err) {
        this.log.error({ err }, 'SFU connection-state listener failed');
      }
    }
  }
}
