/**
 * Turns mediasoup's errors into protocol errors at the call site. Only errors raised by a mediasoup
 * call are translated: a TypeError from our own code is a bug and must surface as INTERNAL (and be
 * logged), not be blamed on the request.
 */
import { ErrorCode, ProtocolError } from '../lib/protocol/errors';

export const badRequest = (message: string) => new ProtocolError(ErrorCode.BadRequest, message);
export const forbidden = (message: string) => new ProtocolError(ErrorCode.Forbidden, message);
export const notFound = (message: string) => new ProtocolError(ErrorCode.NotFound, message);
export const invalidState = (message: string) => new ProtocolError(ErrorCode.InvalidState, message);

/**
 * mediasoup 3.27 reports argument and parameter problems (its own checks and the worker's) as
 * TypeError, unknown entities as NotFoundError, unsupported features as UnsupportedError and calls
 * that reach a closed worker as WorkerClosedError. InvalidStateError is what mediasoup used before
 * 3.12 and what mediasoup-client still throws; it is matched by name to keep the mapping honest if
 * such an error ever crosses this boundary. Anything else (a plain Error from the worker) is
 * unexpected and stays INTERNAL.
 */
export function fromMediasoupError(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof ProtocolError) return err;
  switch (err.name) {
    case 'TypeError':
    case 'UnsupportedError':
      return new ProtocolError(ErrorCode.BadRequest, err.message);
    case 'NotFoundError':
      return new ProtocolError(ErrorCode.NotFound, err.message);
    case 'InvalidStateError':
    case 'WorkerClosedError':
      return new ProtocolError(ErrorCode.InvalidState, err.message);
    default:
      return err;
  }
}

/** Runs one mediasoup call, translating its failure (see fromMediasoupError). */
export async function mediasoupCall<T>(call: () => Promise<T> | T): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw fromMediasoupError(err);
  }
}
