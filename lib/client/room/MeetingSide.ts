/**
 * The parts of a room session that are about the meeting rather than its media: knocking on a room
 * with a waiting room, raised hands and reactions. Framework-free, like RoomSession, which owns
 * one and binds its server events.
 */
import { ErrorCode, type Reaction, type ServerToClientEvents } from '../../protocol';
import { stopStream } from '../media';
import { request, RequestError } from '../socket';
import type { RoomEvent, RoomState } from '../sfu/roomReducer';
import type { JoinOptions } from './RoomSession';

/** How long a reaction floats over its sender's tile. */
const REACTION_SHOWN_MS = 4_000;

interface MeetingDeps {
  slug: string;
  state: () => RoomState;
  dispatch: (event: RoomEvent) => void;
  /** The session's join (used once a knock is admitted). */
  join: (options: JoinOptions) => Promise<void>;
  /** The options of the join we knock for (the previewed stream among them), and setting them. */
  options: () => JoinOptions | null;
  setOptions: (options: JoinOptions | null) => void;
}

export class MeetingSide {
  private reactionSeq = 0;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(private readonly deps: MeetingDeps) {}

  /**
   * Asks the host to let us in. The preview stays; once admitted we join by ourselves. A room
   * without a waiting room answers "admitted" at once.
   */
  knock = async (options: JoinOptions): Promise<void> => {
    const { dispatch } = this.deps;
    this.deps.setOptions(options);
    dispatch({ type: 'knock', knock: { status: 'knocking', hostPresent: false } });
    try {
      const r = await request('room:knock', { slug: this.deps.slug, password: options.password });
      if (r.admitted) return this.deps.join(options);
      dispatch({ type: 'knock', knock: { status: 'waiting', hostPresent: r.hostPresent } });
    } catch (err) {
      const e = err instanceof RequestError ? err : new RequestError(ErrorCode.Internal, (err as Error).message);
      dispatch({ type: 'knock', knock: null });
      dispatch({ type: 'join-failed', code: e.code, message: e.message });
    }
  };

  cancelKnock = async (): Promise<void> => {
    this.deps.dispatch({ type: 'knock', knock: null });
    await request('room:knock-cancel', { slug: this.deps.slug }).catch(() => undefined);
  };

  /** Raise or lower our hand; the server keeps the order for everyone. */
  setHand = (raised: boolean) => request('room:hand', { raised });

  react = (reaction: Reaction) =>
    request('room:react', { reaction }).catch((err: unknown) => {
      if (err instanceof RequestError && err.code === ErrorCode.RateLimited) this.deps.dispatch({ type: 'notice', text: err.message });
    });

  /** The socket came back: a knock was dropped with the old one, so knock again. */
  reconnected(): void {
    const options = this.deps.options();
    if (this.deps.state().knock?.status === 'waiting' && options) void this.knock(options);
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  handlers(): Partial<ServerToClientEvents> {
    const { dispatch, state } = this.deps;
    return {
      'room:meeting': ({ meeting }) => dispatch({ type: 'meeting', meeting }),
      'room:reaction': ({ userId, reaction }) => {
        const id = ++this.reactionSeq;
        dispatch({ type: 'reaction', id, userId, reaction });
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          dispatch({ type: 'reaction-done', id });
        }, REACTION_SHOWN_MS);
        this.timers.add(timer);
      },
      'room:waiting': ({ waiting }) => dispatch({ type: 'waiting-list', waiting }),
      'room:knock-state': ({ hostPresent }) => {
        const knock = state().knock;
        if (knock) dispatch({ type: 'knock', knock: { ...knock, hostPresent } });
      },
      'room:admitted': () => {
        const options = this.deps.options();
        if (state().knock?.status === 'waiting' && options) void this.deps.join(options);
      },
      'room:denied': ({ message }) => {
        if (!state().knock) return;
        stopStream(this.deps.options()?.stream ?? null);
        this.deps.setOptions(null);
        dispatch({ type: 'knock', knock: { status: 'denied', hostPresent: true, message } });
      },
    };
  }
}
