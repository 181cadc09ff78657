/**
 * The single entry point for client→server events. For each event it checks, in order: the name is
 * part of the protocol, the socket is not flooding, the payload fits its byte budget, and the
 * payload parses with its zod schema. Only then does the handler run. Whatever happens, the sender
 * gets a typed ack (or a `protocol:error` when it sent no ack callback); nothing throws out of here.
 */
import {
  ErrorCode,
  inboundSpecs,
  isInboundEvent,
  ProtocolError,
  type Ack,
  type InboundEvent,
  type InboundPayload,
  type InboundResults,
} from '../../protocol';
import type { Logger } from '../logger';
import { TokenBucket } from '../rateLimit';
import type { IoSocket } from './types';

export type Handler<E extends InboundEvent> = (
  payload: InboundPayload<E>,
  socket: IoSocket,
) => InboundResults[E] | Promise<InboundResults[E]>;

export type Handlers = { [E in InboundEvent]?: Handler<E> };

/**
 * Told about every inbound event and every refusal (metrics hang off this). `event` is null for
 * names outside the protocol, so whatever a client invents cannot become a metric label.
 */
export interface DispatchObserver {
  event(event: InboundEvent | null): void;
  error(event: InboundEvent | null, code: ErrorCode): void;
}

/** Generous enough for ICE candidate bursts, small enough to stop a tight loop. */
const FLOOD_BURST = 300;
const FLOOD_PER_SECOND = 100;

function payloadBytes(payload: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(payload) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export function bindHandlers(socket: IoSocket, handlers: Handlers, log: Logger, observer?: DispatchObserver) {
  const flood = new TokenBucket(FLOOD_BURST, FLOOD_PER_SECOND);

  socket.onAny((event: unknown, ...args: unknown[]) => {
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as (a: Ack<unknown>) => void) : undefined;
    const name = typeof event === 'string' ? event.slice(0, 64) : String(typeof event);
    const known = typeof event === 'string' && isInboundEvent(event) ? event : null;
    observer?.event(known);
    const reply = (a: Ack<unknown>) => {
      if (!a.ok) observer?.error(known, a.error.code);
      if (ack) ack(a);
      else if (!a.ok) socket.emit('protocol:error', { event: name, error: a.error });
    };

    void (async () => {
      if (typeof event !== 'string' || !isInboundEvent(event) || !handlers[event]) {
        throw new ProtocolError(ErrorCode.UnknownEvent, `Unknown event "${name}"`);
      }
      if (!flood.take()) throw new ProtocolError(ErrorCode.RateLimited, 'Too many messages; slow down');
      if (args.length !== 1) throw new ProtocolError(ErrorCode.BadRequest, 'Expected exactly one payload argument');
      const spec = inboundSpecs[event];
      const bytes = payloadBytes(args[0]);
      if (bytes > spec.maxBytes) {
        throw new ProtocolError(ErrorCode.PayloadTooLarge, `Payload of ${bytes} bytes exceeds ${spec.maxBytes}`);
      }
      const parsed = spec.schema.safeParse(args[0]);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
        throw new ProtocolError(ErrorCode.BadRequest, `Invalid payload${where}: ${issue?.message ?? 'bad shape'}`);
      }
      const handler = handlers[event] as Handler<typeof event>;
      return handler(parsed.data as never, socket);
    })().then(
      (data) => reply({ ok: true, data }),
      (err: unknown) => {
        if (err instanceof ProtocolError) return reply({ ok: false, error: err.toBody() });
        log.error({ err, event: name, userId: socket.data.user?.id }, 'socket handler failed');
        reply({ ok: false, error: { code: ErrorCode.Internal, message: 'Internal error' } });
      },
    );
  });
}
