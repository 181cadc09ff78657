/**
 * A participant's place in a live meeting, as the control plane knows it: who, whether host, which
 * socket speaks for them now, and the secret that lets that browser (and only it) take the seat
 * back after its connection dropped. Media state is not here: the SFU node is its one authority.
 *
 * Lifecycle: joining (the node is placing the peer) → connected ⇄ away (socket gone, grace timer
 * running) → gone (left, removed, or the grace ran out).
 */
import crypto from 'node:crypto';
import type { RoomConsumer, RoomParticipant, SeatConnection } from '../../protocol';
import type { SocketUser } from '../realtime/types';

export type SeatState = 'joining' | 'connected' | 'away' | 'gone';

/** What the node needs to place the peer (again, on another node): kept from the join. */
export interface SeatMediaSpec {
  rtpCapabilities: Record<string, unknown>;
  forceTcp: boolean;
}

const digest = (token: string) => crypto.createHash('sha256').update(token, 'utf8').digest();

export class Seat {
  readonly joinedAt = Date.now();
  state: SeatState = 'joining';
  /** The socket that speaks for this seat; null while away. */
  socketId: string | null;
  /** Consumers the node announced that the browser has not been asked to take yet (RoomMedia.flush). */
  readonly outbox: RoomConsumer[] = [];
  /** How many consumers the first batch after a join (or a move) waits for: the node said how many it makes. */
  awaitedOffers = 0;
  batchTimer: NodeJS.Timeout | undefined;
  graceTimer: NodeJS.Timeout | undefined;
  private readonly tokenDigest: Buffer;

  private constructor(
    readonly user: SocketUser,
    readonly isHost: boolean,
    socketId: string,
    readonly media: SeatMediaSpec,
    tokenDigest: Buffer,
  ) {
    this.socketId = socketId;
    this.tokenDigest = tokenDigest;
  }

  /** A new seat and its resume token (given to the joining browser once, stored only as a digest). */
  static create(user: SocketUser, isHost: boolean, socketId: string, media: SeatMediaSpec): { seat: Seat; token: string } {
    const token = crypto.randomBytes(24).toString('base64url');
    return { seat: new Seat(user, isHost, socketId, media, digest(token)), token };
  }

  /** Constant-time: the token is a bearer secret for this seat. */
  matches(token: string): boolean {
    return crypto.timingSafeEqual(digest(token), this.tokenDigest);
  }

  /** The token's digest, remembered after the seat is gone to say why a resume is refused. */
  get tokenId(): string {
    return this.tokenDigest.toString('hex');
  }

  get connection(): SeatConnection {
    return this.state === 'away' ? 'reconnecting' : 'connected';
  }

  /** Listed to others once joined; a seat still joining may yet fail. */
  get listed(): boolean {
    return this.state === 'connected' || this.state === 'away';
  }

  view(): RoomParticipant {
    return { userId: this.user.id, name: this.user.name, isHost: this.isHost, joinedAt: this.joinedAt, connection: this.connection };
  }

  stopGrace(): void {
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
  }

  static tokenIdOf(token: string): string {
    return digest(token).toString('hex');
  }
}
