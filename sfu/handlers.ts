/**
 * What each RPC method does, on already-validated requests (rpc.ts parses them first). Handlers
 * throw ProtocolError for anything the caller got wrong; rpc.ts turns throws into acks.
 *
 * Peer-scoped methods resolve the room (NOT_FOUND if not open here) and the member (FORBIDDEN if
 * the peer has not joined), then run on the peer's serial queue.
 */
import type { types } from 'mediasoup';
import type { SfuMethod, SfuResponse } from '../lib/protocol/sfuRpc';
import { mediasoupCall } from './errors';
import { MEDIA_CODECS, type Member, type Room } from './Room';
import type { Rooms } from './Rooms';
import { peerStats } from './stats';
import type { SfuParsedRequest } from './types';
import type { WorkerPool } from './workers';

export type SfuHandlers = {
  [M in SfuMethod]: (req: SfuParsedRequest<M>) => Promise<SfuResponse<M>>;
};

const done = {} as const;

/** `nodeId` names this run of the node (see room:open). */
export function createHandlers(rooms: Rooms, pool: WorkerPool, nodeId: string): SfuHandlers {
  /** Runs `task` for a joined peer, after the peer's earlier requests. */
  function asPeer<T>(req: { roomId: string; peerId: string }, task: (member: Member, room: Room) => Promise<T>) {
    const room = rooms.require(req.roomId);
    const member = room.member(req.peerId);
    return member.peer.serial(() => task(member, room));
  }

  /**
   * Runs `task` for a joined peer at once, not behind its queue: for requests on one existing
   * consumer that check nothing across an await. Their worker requests still keep the order they
   * arrived in (mediasoup's channel is FIFO), and a join's many resumes do not wait on each other.
   */
  function asPeerNow<T>(req: { roomId: string; peerId: string }, task: (member: Member) => Promise<T>) {
    return task(rooms.require(req.roomId).member(req.peerId));
  }

  let capabilities: Promise<types.RtpCapabilities> | undefined;
  /** Read once from a throwaway router: every router has the same (MEDIA_CODECS). */
  const routerCapabilities = () =>
    (capabilities ??= (async () => {
      const router = await mediasoupCall(() => pool.leastLoaded().worker.createRouter({ mediaCodecs: MEDIA_CODECS }));
      router.close();
      return router.rtpCapabilities;
    })().catch((err: unknown) => {
      capabilities = undefined;
      throw err;
    }));

  return {
    'node:capabilities': async () => ({ rtpCapabilities: await routerCapabilities() }),

    'room:open': async ({ roomId }) => ({ rtpCapabilities: (await rooms.open(roomId)).rtpCapabilities, nodeId }),

    // Idempotent, like leave: closing what is already gone is success.
    'room:close': async ({ roomId }) => {
      rooms.close(roomId, 'closed');
      return done;
    },

    'peer:join': async ({ roomId, peerId, rtpCapabilities, forceTcp }) => {
      const room = rooms.require(roomId);
      // The schema bounds and shapes the capabilities; mediasoup checks them per producer (canConsume).
      const { peer, worker } = await room.join(peerId, { rtpCapabilities: rtpCapabilities as types.RtpCapabilities, forceTcp });
      // After the answer has gone out, so that the web process knows the seat before its consumers.
      const offering = room.offerCount(peer);
      setImmediate(() => void room.consumeAll(peer));
      return { transports: peer.transportParams(), routerId: peer.router.id, workerPid: worker.worker.pid, offering };
    },

    // Leaving a room that closed (say its worker died) or that the peer already left is success:
    // the web process calls this on every disconnect and must not have to know the node's state.
    'peer:leave': async ({ roomId, peerId }) => {
      rooms.get(roomId)?.leave(peerId);
      return done;
    },

    'peer:sync': (req) =>
      asPeer(req, async ({ peer }) => ({
        transports: peer.transportParams(),
        connected: peer.transportsConnected(),
        consumers: peer.consumerInfos(),
      })),

    'transport:connect': (req) =>
      asPeer(req, async ({ peer }) => {
        await peer.connectTransport(req.transportId, req.dtlsParameters);
        return done;
      }),

    'transport:restart-ice': (req) =>
      asPeer(req, async ({ peer }) => ({ iceParameters: await peer.restartIce(req.transportId) })),

    'producer:create': (req) =>
      asPeer(req, async ({ peer }, room) => {
        const producer = await peer.produce({
          transportId: req.transportId,
          kind: req.kind,
          // The zod schema bounds and shapes it; mediasoup validates the semantics (TypeError → BAD_REQUEST).
          rtpParameters: req.rtpParameters as types.RtpParameters,
          source: req.source,
          paused: req.paused,
        });
        await room.publish(peer, producer);
        return { producerId: producer.id };
      }),

    'producer:close': (req) =>
      asPeer(req, async ({ peer }) => {
        peer.producer(req.producerId).close();
        return done;
      }),

    'producer:pause': (req) =>
      asPeer(req, async ({ peer }) => {
        const producer = peer.producer(req.producerId);
        await mediasoupCall(() => producer.pause());
        return done;
      }),

    'producer:resume': (req) =>
      asPeer(req, async ({ peer }) => {
        const producer = peer.producer(req.producerId);
        await mediasoupCall(() => producer.resume());
        return done;
      }),

    'producer:pause-source': (req) =>
      asPeer(req, async ({ peer }) => {
        const producer = peer.producerOf(req.source);
        if (!producer || producer.paused) return { producerId: null };
        await mediasoupCall(() => producer.pause());
        return { producerId: producer.id };
      }),

    'consumer:resume': (req) =>
      asPeerNow(req, async ({ peer }) => {
        await peer.resumeConsumer(req.consumerId);
        return done;
      }),

    'consumer:pause': (req) =>
      asPeerNow(req, async ({ peer }) => {
        const consumer = peer.consumer(req.consumerId);
        await mediasoupCall(() => consumer.pause());
        return done;
      }),

    'consumer:close': (req) =>
      asPeer(req, async ({ peer }) => {
        peer.consumer(req.consumerId).close();
        return done;
      }),

    'consumer:set-layers': (req) =>
      asPeer(req, async ({ peer }) => {
        await peer.setConsumerLayers(req.consumerId, req.spatialLayer, req.temporalLayer);
        return done;
      }),

    'node:rooms': async () => ({ roomIds: rooms.ids() }),

    'node:stats': async () => ({ workers: await pool.stats(), rooms: rooms.size }),

    'room:stats': async ({ roomId }) => ({
      peers: await Promise.all(rooms.require(roomId).memberList().map(peerStats)),
    }),
  };
}
