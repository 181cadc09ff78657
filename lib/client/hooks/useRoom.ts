'use client';
/**
 * Everything a room page does: join (with the pre-join stream), produce, consume every remote
 * producer, follow the room's events, chat with at-least-once delivery, host actions, and rejoin
 * after the socket comes back. The pure state lives in roomReducer; media lives in SfuClient.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { ChatMessageView, ServerToClientEvents } from '../../protocol';
import { stopStream } from '../media';
import { SfuClient, type TransportState } from '../sfu/SfuClient';
import { initialRoomState, roomReducer } from '../sfu/roomReducer';
import { getSocket, request, RequestError } from '../socket';

export interface JoinOptions {
  password?: string;
  stream: MediaStream | null;
  micOn: boolean;
  cameraOn: boolean;
}

/** Tile width (CSS px) → simulcast layer: thumbnails get ¼ resolution, large tiles the full one. */
export function layerForWidth(width: number): number {
  if (width >= 560) return 2;
  if (width >= 240) return 1;
  return 0;
}

export function useRoom(slug: string, myName: string) {
  const [state, dispatch] = useReducer(roomReducer, initialRoomState);
  const [mic, setMic] = useState(false);
  const [camera, setCamera] = useState(false);
  const [screen, setScreen] = useState(false);
  const [media, setMedia] = useState<TransportState>('new');
  const client = useRef<SfuClient | null>(null);
  const joinOptions = useRef<JoinOptions | null>(null);
  const layers = useRef(new Map<string, number>());
  const stateRef = useRef(state);
  stateRef.current = state;

  const consume = useCallback(async (producerId: string) => {
    const c = client.current;
    if (!c) return;
    try {
      const consumer = await c.consume(producerId);
      if (client.current === c) dispatch({ type: 'track', producerId, track: consumer.track });
    } catch (err) {
      console.warn('[confab] could not consume', producerId, err);
    }
  }, []);

  const teardown = useCallback(() => {
    client.current?.close();
    client.current = null;
    layers.current.clear();
    setScreen(false);
  }, []);

  const sendChat = useCallback(async (message: ChatMessageView) => {
    try {
      const { message: stored } = await request('chat:send', { clientId: message.clientId, text: message.text });
      dispatch({ type: 'chat', message: stored });
    } catch {
      dispatch({ type: 'chat-failed', clientId: message.clientId });
    }
  }, []);

  const join = useCallback(
    async (options: JoinOptions) => {
      dispatch({ type: 'join-start' });
      teardown();
      try {
        const joined = await request('room:join', { slug, password: options.password });
        const c = new SfuClient({
          onTransportState: (direction, s) => direction === 'recv' && setMedia(s),
          onProducerEnded: (source) => source === 'screen' && setScreen(false),
        });
        client.current = c;
        const loading = c.load(joined.routerRtpCapabilities);
        // Both transports are asked for while the device loads; see SfuClient.prepareTransport.
        if (joined.producers.length) c.prepareTransport('recv');
        if (options.stream?.getTracks().length) c.prepareTransport('send');
        await loading;
        joinOptions.current = options;
        dispatch({ type: 'joined', joined });
        for (const p of joined.producers) void consume(p.producerId);

        const audio = options.stream?.getAudioTracks()[0];
        const video = options.stream?.getVideoTracks()[0];
        if (audio) {
          await c.produce('mic', audio);
          if (!options.micOn) await c.setProducerPaused('mic', true);
        }
        if (video) {
          await c.produce('camera', video);
          if (!options.cameraOn) await c.setProducerPaused('camera', true);
        }
        setMic(!!audio && options.micOn);
        setCamera(!!video && options.cameraOn);
        // Messages we could not deliver before (e.g. the socket dropped) go out again, same clientId.
        for (const m of stateRef.current.chat) if (m.status !== 'sent') void sendChat(m);
      } catch (err) {
        teardown();
        const e = err instanceof RequestError ? err : new RequestError('INTERNAL', (err as Error).message);
        dispatch({ type: 'join-failed', code: e.code, message: e.message });
      }
    },
    [slug, consume, teardown, sendChat],
  );

  const leave = useCallback(async () => {
    teardown();
    stopStream(joinOptions.current?.stream ?? null);
    joinOptions.current = null;
    dispatch({ type: 'left' });
    await request('room:leave', {}).catch(() => undefined);
  }, [teardown]);

  // Room events from the server.
  useEffect(() => {
    const socket = getSocket();
    const handlers = {
      'room:participant-joined': ({ participant }) => dispatch({ type: 'participant-joined', participant }),
      'room:participant-left': ({ userId }) => dispatch({ type: 'participant-left', userId }),
      'room:producer-added': ({ producer }) => {
        dispatch({ type: 'producer-added', producer });
        void consume(producer.producerId);
      },
      'room:producer-removed': ({ producerId }) => {
        client.current?.dropConsumer(producerId);
        dispatch({ type: 'producer-removed', producerId });
      },
      'room:producer-state': ({ producerId, paused }) => dispatch({ type: 'producer-state', producerId, paused }),
      'room:consumer-closed': ({ consumerId }) => {
        const producerId = client.current?.consumerClosed(consumerId);
        if (producerId) dispatch({ type: 'track-removed', producerId });
      },
      'room:active-speaker': ({ userId }) => dispatch({ type: 'active-speaker', userId }),
      'room:chat': ({ message }) => dispatch({ type: 'chat', message }),
      'room:updated': ({ locked }) => dispatch({ type: 'locked', locked }),
      'room:muted-by-host': ({ producerId, by }) => {
        client.current?.pausedByServer(producerId);
        setMic(false);
        dispatch({ type: 'notice', text: `You were muted by the host (${by})` });
      },
      'room:closed': ({ reason }) => {
        teardown();
        stopStream(joinOptions.current?.stream ?? null);
        joinOptions.current = null;
        dispatch({ type: 'closed', reason });
      },
    } satisfies Partial<ServerToClientEvents>;
    for (const [event, fn] of Object.entries(handlers)) socket.on(event as never, fn as never);

    // The server drops a participant whose socket goes away; come back in by ourselves.
    let wasDown = false;
    const onDisconnect = () => {
      wasDown = stateRef.current.phase === 'joined';
    };
    const onConnect = () => {
      if (wasDown && joinOptions.current) void join(joinOptions.current);
      wasDown = false;
    };
    socket.on('disconnect', onDisconnect);
    socket.on('connect', onConnect);
    return () => {
      for (const [event, fn] of Object.entries(handlers)) socket.off(event as never, fn as never);
      socket.off('disconnect', onDisconnect);
      socket.off('connect', onConnect);
    };
  }, [consume, join, teardown]);

  // Leaving the page leaves the room.
  useEffect(
    () => () => {
      if (client.current) void request('room:leave', {}).catch(() => undefined);
      client.current?.close();
      stopStream(joinOptions.current?.stream ?? null);
    },
    [],
  );

  const toggleMic = useCallback(async () => {
    const c = client.current;
    if (!c?.producer('mic')) return;
    const on = !mic;
    setMic(on);
    if (on) dispatch({ type: 'notice', text: null });
    await c.setProducerPaused('mic', !on).catch(() => setMic(!on));
  }, [mic]);

  const toggleCamera = useCallback(async () => {
    const c = client.current;
    if (!c?.producer('camera')) return;
    const on = !camera;
    setCamera(on);
    await c.setProducerPaused('camera', !on).catch(() => setCamera(!on));
  }, [camera]);

  const toggleScreen = useCallback(async () => {
    const c = client.current;
    if (!c) return;
    if (screen) {
      setScreen(false);
      await c.stopProducing('screen');
      return;
    }
    try {
      const display = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 15 }, audio: false });
      const track = display.getVideoTracks()[0];
      if (!track) return;
      await c.produce('screen', track);
      setScreen(true);
    } catch (err) {
      if ((err as Error).name !== 'NotAllowedError') dispatch({ type: 'notice', text: 'Could not share your screen' });
    }
  }, [screen]);

  const say = useCallback(
    (text: string) => {
      const selfId = stateRef.current.selfId;
      if (!selfId) return;
      const clientId = crypto.randomUUID();
      const message = { id: clientId, clientId, userId: selfId, name: myName, text, sentAt: Date.now() };
      dispatch({ type: 'chat-pending', message });
      void sendChat(message);
    },
    [myName, sendChat],
  );

  const retryChat = useCallback(
    (clientId: string) => {
      const m = stateRef.current.chat.find((x) => x.clientId === clientId);
      if (m) {
        dispatch({ type: 'chat-pending', message: m });
        void sendChat(m);
      }
    },
    [sendChat],
  );

  /** Tiles report their size and visibility; the SFU then sends the right layer, or nothing. */
  const tileChanged = useCallback((producerId: string, width: number, visible: boolean) => {
    const c = client.current;
    if (!c) return;
    void c.setConsumerPaused(producerId, !visible);
    const layer = layerForWidth(width);
    if (visible && layers.current.get(producerId) !== layer) {
      layers.current.set(producerId, layer);
      void c.setPreferredLayer(producerId, layer);
    }
  }, []);

  const host = {
    mute: (userId: string) => request('room:host-mute', { userId }),
    remove: (userId: string) => request('room:host-remove', { userId }),
    lock: (locked: boolean) => request('room:host-lock', { locked }),
    end: () => request('room:host-end', {}),
  };

  return {
    state,
    media,
    mic,
    camera,
    screen,
    localStream: joinOptions.current?.stream ?? null,
    hasMic: !!joinOptions.current?.stream?.getAudioTracks().length,
    hasCamera: !!joinOptions.current?.stream?.getVideoTracks().length,
    join,
    leave,
    toggleMic,
    toggleCamera,
    toggleScreen,
    say,
    retryChat,
    tileChanged,
    host,
    dismissNotice: () => dispatch({ type: 'notice', text: null }),
  };
}
