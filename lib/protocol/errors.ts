/**
 * Error codes every ack and protocol error may carry. Shared by browser, web process and SFU.
 * A code says what the client should do; the message says it to a human.
 */
export const ErrorCode = {
  /** The payload failed its schema. */
  BadRequest: 'BAD_REQUEST',
  /** The event name is not part of the protocol. */
  UnknownEvent: 'UNKNOWN_EVENT',
  /** The payload is larger than the event allows. */
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  Unauthorized: 'UNAUTHORIZED',
  /** Authenticated, but not allowed to do this (e.g. signalling a call you are not in). */
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  /** The callee is ringing or already in a call. */
  Busy: 'BUSY',
  /** The target user has no connected socket. */
  Offline: 'OFFLINE',
  /** The request does not fit the current state (e.g. accepting a call that already ended). */
  InvalidState: 'INVALID_STATE',
  RateLimited: 'RATE_LIMITED',
  /** The room needs a password, or the one given is wrong. */
  WrongPassword: 'WRONG_PASSWORD',
  /** The host locked the room: nobody new may join. */
  RoomLocked: 'ROOM_LOCKED',
  /** The room has a waiting room: knock (`room:knock`) and wait for the host to let you in. */
  KnockRequired: 'KNOCK_REQUIRED',
  /**
   * A room seat cannot be resumed: its grace period ran out, the meeting ended, or the token does
   * not match. The browser may join again from scratch.
   */
  SeatExpired: 'SEAT_EXPIRED',
  /** The media server for this room is unavailable. */
  Unavailable: 'UNAVAILABLE',
  Internal: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ProtocolErrorBody {
  code: ErrorCode;
  message: string;
}

/** Thrown by server handlers; turned into `{ ok: false, error }` by the dispatcher. */
export class ProtocolError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    // An expected refusal, not a bug: no stack trace is captured. Capturing one was ~10 % of the
    // web process's CPU under a flood of bad requests (bench socket-fuzz profile).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.code = code;
    this.name = 'ProtocolError';
  }

  toBody(): ProtocolErrorBody {
    return { code: this.code, message: this.message };
  }
}
