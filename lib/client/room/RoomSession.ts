/**
 * One browser's session in a group room, with no React in it (useRoom only binds it). The server
 * drives the media: the join's answer carries both transports, and every remote stream arrives as
 * a pushed consumer that this accepts. When the socket drops, the seat is resumed on reconnect
 * (no pre-join screen, nothing consumed again); when the server moves our media (a worker or node
 * died) it hands us new transports and we send again. State goes through roomReducer; the session's
 * connection state through one mutator that logs `old -> new`.
 */
import {
  ErrorCode,
  finalJoinRefusals,
  roomClosedReasons,
  roomClosedText,
  type MediaTroublePhase,
  type PeerTransports,
  type RoomClosedReason,
  type SeatTicket,
  type ServerToClientEvents,
} from '../../protocol';
import { stopStream, swapDevice } from '../media';
import { getSocket, request, RequestError } from '../socket';
import { MediaWatch } from '../sfu/MediaWatch';
import { SfuClient } from '../sfu/SfuClient';
import { layerForWidth } from '../sfu/layers';
import { initialRoomState, roomReducer, type RoomEvent, type RoomState } from '../sfu/roomReducer';
import { ConsumerIntake } from './ConsumerIntake';
import { hostActions } from './hostActions';
import { MeetingSide } from './MeetingSide';
import { QualityMonitor } from './QualityMonitor';
import { RoomChat } from './RoomChat';

export interface JoinOptions {
  password?: string;
  stream: MediaStream | null;
  micOn: boolean;
  cameraOn: boolean;
}

/** What a RoomSession tells its listeners. */
export enum RoomSessionEvent {
  /** (state: RoomState) — after every change. */
  StateChanged = 'stateChanged',
  /** (next: ConnectionState, previous: ConnectionState) */
  ConnectionStateChanged = 'connectionStateChanged',
}

export type ConnectionState = 'idle' | 'joining' | 'connected' | 'reconnecting' | 'closed';

type Listeners = {
  [RoomSessionEvent.StateChanged]: (state: RoomState) => void;
  [RoomSessionEvent.ConnectionStateChanged]: (next: ConnectionState, previous: ConnectionState) => void;
};

/**
 * After a join, our own camera and microphone start once the room's streams have been accepted and
 * each video's first packets have come (or after this long): starting the encoders competes for
 * the CPU with the first remote pictures, and the joiner's first wish is to see the room.
 */
const SEND_AFTER_RECEIVING_MAX_MS = 1_500;

/** A resume or rejoin the server could not answer (busy, restarting) is tried again after this. */
const RESUME_RETRY_MS = 1_000;

/** How long a reaction floats over its sender's tile. */
const REACTION_SHOWN_MS = 4_000;

/**
 * Refusals of a rejoin that say "not now" rather than "no": a web process that just restarted may
 * serve before its media server is up (UNAVAILABLE), or not answer in time (INTERNAL).
 */
const TRANSIENT = new Set<string>([ErrorCode.Unavailable, ErrorCode.Internal, ErrorCode.RateLimited]);

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export class RoomSession {
  private state: RoomState = initialRoomState;
  private connectionState: ConnectionState = 'idle';
  private readonly listeners: { [E in RoomSessionEvent]: Set<Listeners[E]> } = {
    [RoomSessionEvent.StateChanged]: new Set(),
    [RoomSessionEvent.ConnectionStateChanged]: new Set(),
  };
  private readonly reportedTrouble = new Set<MediaTroublePhase>();
  private readonly watch = new MediaWatch({
    onTrouble: (trouble, directions) => {
      this.dispatch({ type: 'media-trouble', trouble: trouble && { phase: trouble, directions } });
      // Counted in /metrics once per kind of trouble per page, however often it comes back.
      if (!trouble || this.reportedTrouble.has(trouble)) return;
      this.reportedTrouble.add(trouble);
      request('media:trouble', { scope: 'room', phase: trouble }).catch(() => undefined);
    },
  });
  private media = this.newMedia();
  private capabilities: Promise<void> | null = null;
  private ticket: SeatTicket | null = null;
  private options: JoinOptions | null = null;
  /** Resolved once the current transports exist locally: pushed consumers wait for it. */
  private transports = deferred();
  private screenTrack: MediaStreamTrack | null = null;
  private readonly intake = new ConsumerIntake({
    media: () => this.media,
    transportsReady: () => this.transports.promise,
    inRoom: () => this.state.phase === 'joined' || this.connectionState === 'joining',
    dispatch: (event) => this.dispatch(event),
  });
  private readonly layers = new Map<string, number>();
  private readonly quality = new QualityMonitor(() => this.media, (event) => this.dispatch(event));
  private readonly chat: RoomChat;
  /** Knocks, hands and reactions. */
  readonly meeting: MeetingSide;
  private unbind: (() => void) | null = null;

  constructor(
    readonly slug: string,
    myName: string,
  ) {
    this.chat = new RoomChat(() => this.state, (event) => this.dispatch(event), myName);
    this.meeting = new MeetingSide({
      slug,
      state: () => this.state,
      dispatch: (event) => this.dispatch(event),
      join: (options) => this.join(options),
      options: () => this.options,
      setOptions: (options) => (this.options = options),
    });
  }

  getState = (): RoomState => this.state;

  subscribe = (listener: () => void): (() => void) => this.on(RoomSessionEvent.StateChanged, listener);

  on<E extends RoomSessionEvent>(event: E, listener: Listeners[E]): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  get localStream(): MediaStream | null {
    return this.options?.stream ?? null;
  }

  /** Listens to the server's room events; called when the page mounts. */
  start(): void {
    if (this.unbind) return;
    this.unbind = this.bind();
  }

  /** Loads the media device ahead of the click on Join (the pre-join screen calls it). */
  prepare = (): Promise<void> => {
    this.media.prefetchIce();
    this.capabilities ??= request('room:capabilities', {})
      .then(({ routerRtpCapabilities }) => this.media.load(routerRtpCapabilities))
      .catch((err: unknown) => {
        this.capabilities = null;
        throw err;
      });
    return this.capabilities;
  };

  join = async (options: JoinOptions, rejoin = false): Promise<void> => {
    this.options = options;
    const audio = options.stream?.getAudioTracks()[0];
    const video = options.stream?.getVideoTracks()[0];
    if (!rejoin) {
      this.dispatch({ type: 'join-start' });
      this.dispatch({ type: 'local', local: { mic: !!audio && options.micOn, camera: !!video && options.cameraOn, screen: false } });
    }
    this.setConnectionState(rejoin ? 'reconnecting' : 'joining', rejoin ? 'seat expired; joining again' : 'join');
    try {
      await this.prepare();
      this.transports = deferred();
      // Marks on the page's timeline (performance.getEntriesByType('mark')): bench/room-join.ts reads them.
      performance.mark('confab:join-sent');
      const joined = await request('room:join', { slug: this.slug, password: options.password, rtpCapabilities: this.media.rtpCapabilities as never });
      performance.mark('confab:join-answered');
      this.ticket = joined.seat;
      this.dispatch({ type: 'joined', snapshot: joined });
      await this.connectMedia(joined.transports, this.intake.initialStreams(joined.offering, SEND_AFTER_RECEIVING_MAX_MS));
      performance.mark('confab:sending');
      this.setConnectionState('connected', 'joined');
      this.chat.resendUnsent();
    } catch (err) {
      const e = err instanceof RequestError ? err : new RequestError(ErrorCode.Internal, (err as Error).message);
      if (!rejoin && e.code === ErrorCode.KnockRequired) {
        this.setConnectionState('idle', 'the host lets people in');
        return this.meeting.knock(options);
      }
      if (rejoin && TRANSIENT.has(e.code)) {
        console.info(`[confab] room ${this.slug}: joining again failed (${e.code}); retrying`);
        setTimeout(() => {
          if (getSocket().connected && this.connectionState === 'reconnecting') void this.join(options, true);
        }, RESUME_RETRY_MS);
        return;
      }
      if (rejoin) return this.closeWith(e.code === ErrorCode.Forbidden ? 'removed-by-host' : 'seat-expired');
      this.teardownMedia();
      if (finalJoinRefusals.includes(e.code)) {
        stopStream(options.stream);
        this.options = null;
      }
      this.setConnectionState('idle', e.message);
      this.dispatch({ type: 'join-failed', code: e.code, message: e.message });
    }
  };

  leave = async (): Promise<void> => {
    const wasIn = this.state.phase === 'joined';
    this.endSeat();
    this.setConnectionState('idle', 'left');
    this.dispatch({ type: 'left' });
    if (wasIn) await request('room:leave', {}).catch(() => undefined);
  };

  /** The page is going away: leave the room, stop listening. */
  dispose(): void {
    if (this.state.phase === 'joined') void request('room:leave', {}).catch(() => undefined);
    this.endSeat();
    this.meeting.dispose();
    this.unbind?.();
    this.unbind = null;
  }

  toggleMic = async () => this.toggle('mic');
  toggleCamera = async () => this.toggle('camera');

  toggleScreen = async () => {
    if (this.state.local.screen) {
      this.dispatch({ type: 'local', local: { screen: false } });
      this.screenTrack = null;
      await this.media.stopProducing('screen');
      return;
    }
    try {
      const display = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 15 }, audio: false });
      const track = display.getVideoTracks()[0];
      if (!track) return;
      await this.media.produce('screen', track, false);
      this.screenTrack = track;
      this.dispatch({ type: 'local', local: { screen: true } });
    } catch (err) {
      if ((err as Error).name !== 'NotAllowedError') this.dispatch({ type: 'notice', text: 'Could not share your screen' });
    }
  };

  /**
   * Switches the camera or microphone during the meeting: the producer's track is replaced in
   * place (no renegotiation, nothing for the others to do) and the old device is released.
   */
  switchDevice = async (kind: 'audio' | 'video', deviceId: string): Promise<void> => {
    const stream = this.options?.stream;
    if (!stream) return;
    await swapDevice(stream, kind, deviceId, (track) => this.media.replaceTrack(kind === 'video' ? 'camera' : 'mic', track));
    this.dispatch({ type: 'local-devices', devices: { ...this.state.devices, [kind]: deviceId } });
  };

  say = (text: string) => this.chat.say(text);
  retryChat = (clientId: string) => this.chat.retry(clientId);

  /** Tiles report their size and visibility; the SFU then sends the right layer, or nothing. */
  tileChanged = (consumerId: string, width: number, visible: boolean) => {
    void this.media.setConsumerPaused(consumerId, !visible);
    const layer = layerForWidth(width);
    if (visible && this.layers.get(consumerId) !== layer) {
      this.layers.set(consumerId, layer);
      void this.media.setPreferredLayer(consumerId, layer);
    }
  };

  dismissNotice = () => this.dispatch({ type: 'notice', text: null });

  /** The user's "Try again" on a media connection that does not work: ICE restarts now. */
  retryMedia = () => this.media.restartIceWhereDown();

  readonly host = hostActions;

  /** The one place the connection state changes. */
  private setConnectionState(next: ConnectionState, reason: string): void {
    const previous = this.connectionState;
    if (previous === next) return;
    this.connectionState = next;
    console.info(`[confab] room ${this.slug}: ${previous} -> ${next} (${reason})`);
    if (next === 'connected' || next === 'reconnecting') this.dispatch({ type: 'connection', connection: next });
    if (next === 'connected') this.quality.start();
    else this.quality.stop();
    for (const l of this.listeners[RoomSessionEvent.ConnectionStateChanged]) l(next, previous);
  }

  private dispatch(event: RoomEvent): void {
    const next = roomReducer(this.state, event);
    if (next === this.state) return;
    this.state = next;
    for (const l of this.listeners[RoomSessionEvent.StateChanged]) l(next);
  }

  private newMedia(): SfuClient {
    return new SfuClient({
      onTransportState: (direction, s) => {
        this.watch.update(direction, s);
        if (direction !== 'recv') return;
        if (s === 'connected') performance.mark('confab:recv-connected');
        this.dispatch({ type: 'transport', state: s });
      },
      onProducerEnded: (source) => source === 'screen' && this.dispatch({ type: 'local', local: { screen: false } }),
    });
  }

  /**
   * Connects the transports the server gave us and sends what we send (again, after a move), once
   * `receivedFirst` settled (the join's first streams are in, or SEND_AFTER_RECEIVING_MAX_MS passed).
   */
  private async connectMedia(transports: PeerTransports, receivedFirst: Promise<void> = Promise.resolve()): Promise<void> {
    const ready = this.transports;
    this.watch.reset();
    await this.media.connect(transports);
    performance.mark('confab:transports-ready');
    ready.resolve();
    await receivedFirst;
    const audio = this.options?.stream?.getAudioTracks()[0];
    const video = this.options?.stream?.getVideoTracks()[0];
    const { local } = this.state;
    if (audio) await this.media.produce('mic', audio, !local.mic);
    if (video) await this.media.produce('camera', video, !local.camera);
    if (this.screenTrack?.readyState === 'live' && local.screen) await this.media.produce('screen', this.screenTrack, false);
  }

  private teardownMedia(): void {
    this.media.close();
    this.watch.reset();
    this.media = this.newMedia();
    this.capabilities = null;
    this.layers.clear();
    this.screenTrack = null;
    this.quality.stop();
  }

  private async toggle(source: 'mic' | 'camera') {
    if (!this.media.producer(source)) return;
    const on = !this.state.local[source];
    this.dispatch({ type: 'local', local: { [source]: on } });
    if (on && source === 'mic') this.dispatch({ type: 'notice', text: null });
    await this.media.setProducerPaused(source, !on).catch(() => this.dispatch({ type: 'local', local: { [source]: !on } }));
  }

  /** Our media, camera and seat ticket are done with (left, closed, or the page went away). */
  private endSeat() {
    this.teardownMedia();
    stopStream(this.options?.stream ?? null);
    this.options = null;
    this.ticket = null;
  }

  private closeWith(reason: RoomClosedReason) {
    this.endSeat();
    this.setConnectionState('closed', reason);
    this.dispatch({ type: 'closed', reason });
  }

  /**
   * Takes our seat back after the socket returned. Refused as expired (grace over, server
   * restarted): join again by ourselves, still without the pre-join screen. Refused because the
   * seat was taken (another tab, the host): the meeting is over for this page.
   */
  private async resume(): Promise<void> {
    if (this.connectionState !== 'reconnecting' || !this.options) return;
    if (!this.ticket) return this.join(this.options, true);
    try {
      const r = await request('room:resume', { slug: this.slug, token: this.ticket.token, consumerIds: this.media.consumerIds() });
      const kept = new Set(r.consumerIds);
      for (const id of this.media.consumerIds()) if (!kept.has(id)) this.media.drop(id);
      this.dispatch({ type: 'resumed', snapshot: r, consumerIds: r.consumerIds });
      if (!this.media.holds(r.transports)) {
        await this.moveMedia(r.transports);
      } else {
        this.media.restartIceWhereDown(r.connected);
        // The server resumed every consumer we kept; off-screen tiles pause theirs again.
        for (const id of this.media.pausedConsumerIds()) void this.media.setConsumerPaused(id, true, true);
      }
      performance.mark('confab:seat-resumed');
      this.setConnectionState('connected', 'seat resumed');
      this.chat.resendUnsent();
    } catch (err) {
      const code = err instanceof RequestError ? err.code : ErrorCode.Internal;
      if (code === ErrorCode.SeatExpired) return this.join(this.options, true);
      if (code === ErrorCode.Forbidden) {
        const message = (err as Error).message;
        return this.closeWith(roomClosedReasons.find((r) => roomClosedText[r] === message) ?? 'joined-elsewhere');
      }
      // The server did not answer (busy, or the socket dropped again): try again while connected.
      setTimeout(() => getSocket().connected && void this.resume(), RESUME_RETRY_MS);
    }
  }

  /** The server moved our media: new transports, everything sent again, consumers pushed anew. */
  private async moveMedia(transports: PeerTransports): Promise<void> {
    console.info(`[confab] room ${this.slug}: the server moved our media; connecting the new transports`);
    performance.mark('confab:media-moved');
    this.transports = deferred();
    this.dispatch({ type: 'media-reset' });
    this.layers.clear();
    await this.connectMedia(transports);
  }

  private bind(): () => void {
    const socket = getSocket();
    const handlers = {
      'room:consumers-new': ({ consumers }, ack) => {
        void this.intake.acceptAll(consumers).then((refused) => ack({ ok: true, data: { refused } }));
      },
      'room:consumer-closed': ({ consumerId }) => {
        this.media.drop(consumerId);
        this.dispatch({ type: 'remote-removed', consumerId });
      },
      'room:consumer-state': (state) => this.dispatch({ type: 'remote-state', state }),
      'room:media-reset': ({ transports }) => void this.moveMedia(transports),
      'room:media-state': ({ state }) => this.dispatch({ type: 'media', media: state }),
      'room:participant-joined': ({ participant }) => this.dispatch({ type: 'participant-joined', participant }),
      'room:participant-left': ({ userId }) => this.dispatch({ type: 'participant-left', userId }),
      'room:participant-state': ({ userId, connection }) => this.dispatch({ type: 'participant-state', userId, connection }),
      'room:active-speaker': ({ userId }) => this.dispatch({ type: 'active-speaker', userId }),
      'room:chat': ({ message }) => this.dispatch({ type: 'chat', message }),
      'room:updated': ({ locked, waitingRoom }) => this.dispatch({ type: 'locked', locked, waitingRoom }),
      'room:renamed': ({ name }) => this.dispatch({ type: 'renamed', name }),
      'room:muted-by-host': ({ producerId, by }) => {
        this.media.pausedByServer(producerId);
        this.dispatch({ type: 'local', local: { mic: false } });
        this.dispatch({ type: 'notice', text: `You were muted by the host (${by})` });
      },
      'room:closed': ({ reason }) => this.closeWith(reason),
      ...this.meeting.handlers(),
    } satisfies Partial<ServerToClientEvents>;
    for (const [event, fn] of Object.entries(handlers)) socket.on(event as never, fn as never);

    const onDisconnect = () => {
      if (this.state.phase === 'joined') this.setConnectionState('reconnecting', 'connection lost');
    };
    const onConnect = () => {
      this.meeting.reconnected();
      if (this.connectionState === 'reconnecting') performance.mark('confab:socket-back');
      void this.resume();
    };
    socket.on('disconnect', onDisconnect);
    socket.on('connect', onConnect);
    return () => {
      for (const [event, fn] of Object.entries(handlers)) socket.off(event as never, fn as never);
      socket.off('disconnect', onDisconnect);
      socket.off('connect', onConnect);
    };
  }
}
