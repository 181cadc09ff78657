/**
 * Builds the admin dashboard's live snapshot from what the web process knows (rooms, participants
 * and their media state, calls, presence) plus what the SFU nodes measure (`room:stats`,
 * `node:stats`). A node that does not answer within STATS_BUDGET_MS does not hold the snapshot
 * back: its rooms are shown without media figures (null) and its workers are left out.
 */
import type {
  AdminNode,
  AdminOnlineUser,
  AdminRoom,
  AdminRoomParticipant,
  AdminSnapshot,
  AdminWorker,
  MediaFlag,
  PeerStats,
  ProducerSource,
  UserRole,
} from '../../protocol';
import type { CallRegistry } from '../calls/CallRegistry';
import type { Presence } from '../realtime/presence';
import type { LiveRoom } from '../rooms/LiveRoom';
import type { RoomRegistry } from '../rooms/RoomRegistry';
import type { SfuNodeClient } from '../sfu/SfuNodeClient';
import { participantMedia } from './mediaStats';
import type { WorkerCpu } from './workerCpu';

/** Well under the 2 s push interval, so one slow node cannot make the dashboard skip a beat. */
export const STATS_BUDGET_MS = 1_500;

export interface SnapshotSources {
  rooms: RoomRegistry;
  calls: CallRegistry;
  presence: Presence;
  nodes: SfuNodeClient[];
  cpu: WorkerCpu;
  /** Current roles of these users (from the database: a promotion shows at once). */
  roles(userIds: string[]): Promise<Map<string, UserRole>>;
}

/** Resolves like `promise`, or rejects once `ms` have passed. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function buildSnapshot(src: SnapshotSources): Promise<AdminSnapshot> {
  const live = src.rooms.liveRooms();
  const online = src.presence.list();
  const [roomStats, workers, roles] = await Promise.all([
    Promise.all(
      live.map((room) =>
        within(room.node.request('room:stats', { roomId: room.id }), STATS_BUDGET_MS).catch(() => null),
      ),
    ),
    workerRows(src.nodes, src.cpu),
    src.roles(online.map((o) => o.user.id)),
  ]);
  const users: AdminOnlineUser[] = online
    .map(({ user, status, tabs, since }) => ({
      id: user.id,
      name: user.name,
      role: roles.get(user.id) ?? user.role,
      status,
      tabs,
      onlineSince: since,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const nodes: AdminNode[] = src.nodes.map((n) => ({ url: n.url, state: n.state }));
  return {
    at: Date.now(),
    rooms: live.map((room, i) => roomView(room, roomStats[i]?.peers ?? null)),
    calls: src.calls.adminView(),
    users,
    workers,
    nodes,
  };
}

/** Every connected node's workers with CPU % (also what /metrics reports). */
export async function workerRows(nodes: SfuNodeClient[], cpu: WorkerCpu): Promise<AdminWorker[]> {
  const perNode = await Promise.all(
    nodes
      .filter((n) => n.connected)
      .map(async (node) => {
        try {
          const { workers } = await within(node.request('node:stats', {}), STATS_BUDGET_MS);
          cpu.retain(
            node.url,
            workers.map((w) => w.pid),
          );
          return workers.map((w) => ({
            node: node.url,
            pid: w.pid,
            cpuPercent: cpu.sample(node.url, w.pid, w.cpuMs),
            routers: w.routers,
            transports: w.transports,
            producers: w.producers,
            consumers: w.consumers,
          }));
        } catch {
          return [];
        }
      }),
  );
  return perNode.flat();
}

/** From the node's stats (the authority on media); unknown while the node does not answer. */
function flag(peer: PeerStats | undefined, source: ProducerSource): MediaFlag {
  const producer = peer?.producers.find((x) => x.source === source);
  if (!producer) return 'none';
  return producer.paused ? 'off' : 'on';
}

function roomView(room: LiveRoom, stats: PeerStats[] | null): AdminRoom {
  const byPeer = new Map(stats?.map((peer) => [peer.peerId, peer]));
  const participants: AdminRoomParticipant[] = [...room.participants.values()].map((p) => {
    const peer = byPeer.get(p.user.id);
    return {
      userId: p.user.id,
      name: p.user.name,
      isHost: p.isHost,
      joinedAt: p.joinedAt,
      audio: flag(peer, 'mic'),
      video: flag(peer, 'camera'),
      screen: flag(peer, 'screen') === 'on',
      media: peer ? participantMedia(peer) : null,
    };
  });
  return {
    id: room.id,
    slug: room.stored.slug,
    name: room.stored.name,
    hostName: room.stored.hostName,
    locked: room.stored.locked,
    node: room.node.url,
    participants,
    producers: stats?.reduce((n, p) => n + p.producers.length, 0) ?? 0,
    consumers: stats?.reduce((n, p) => n + p.consumers.length, 0) ?? 0,
    bitrate: stats
      ? participants.reduce((sum, p) => sum + (p.media ? p.media.inBitrate + p.media.outBitrate : 0), 0)
      : null,
  };
}
