'use client';
/**
 * The admin dashboard's live feed: subscribes on connect (and again after every reconnect, since
 * the server forgets a dropped socket), keeps the latest snapshot and a short history for charts,
 * and says when the feed went quiet or the user stopped being an admin.
 */
import { useEffect, useState } from 'react';
import { ADMIN_SNAPSHOT_INTERVAL_MS, type AdminSnapshot } from '../../protocol';
import { getSocket, request } from '../socket';

/** Five minutes of 2 s snapshots. */
const HISTORY_POINTS = 150;
/** No snapshot for this long: the dashboard says its figures are not live. */
const STALE_AFTER_MS = ADMIN_SNAPSHOT_INTERVAL_MS * 3;

export interface ChartPoint {
  /** Server time, ms. */
  at: number;
  /** Bitrate per live room (null: the SFU node did not answer in time). */
  rooms: Record<string, { name: string; bitrate: number | null }>;
  consumers: number;
}

export interface AdminFeed {
  snapshot: AdminSnapshot | null;
  history: ChartPoint[];
  /** The server's clock now, estimated from the last snapshot (durations must not depend on ours). */
  serverNow: number;
  stale: boolean;
  error: string | null;
  revoked: string | null;
}

function point(s: AdminSnapshot): ChartPoint {
  const rooms: ChartPoint['rooms'] = {};
  for (const r of s.rooms) rooms[r.id] = { name: r.name, bitrate: r.bitrate };
  return { at: s.at, rooms, consumers: s.rooms.reduce((n, r) => n + r.consumers, 0) };
}

export function useAdminFeed(): AdminFeed {
  const [latest, setLatest] = useState<{ snapshot: AdminSnapshot; receivedAt: number } | null>(null);
  const [history, setHistory] = useState<ChartPoint[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const socket = getSocket();
    let active = true;
    const accept = (snapshot: AdminSnapshot) => {
      if (!active) return;
      setLatest({ snapshot, receivedAt: Date.now() });
      setHistory((h) => (h.at(-1)?.at === snapshot.at ? h : [...h.slice(1 - HISTORY_POINTS), point(snapshot)]));
    };
    const subscribe = () => {
      request('admin:subscribe', {})
        .then(({ snapshot }) => {
          setError(null);
          accept(snapshot);
        })
        .catch((err: Error) => active && setError(err.message));
    };
    const onRevoked = ({ reason }: { reason: string }) => setRevoked(reason);
    socket.on('admin:snapshot', accept);
    socket.on('admin:revoked', onRevoked);
    socket.on('connect', subscribe);
    if (socket.connected) subscribe();
    const clock = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      active = false;
      clearInterval(clock);
      socket.off('admin:snapshot', accept);
      socket.off('admin:revoked', onRevoked);
      socket.off('connect', subscribe);
      void request('admin:unsubscribe', {}).catch(() => undefined);
    };
  }, []);

  return {
    snapshot: latest?.snapshot ?? null,
    history,
    serverNow: latest ? latest.snapshot.at + (now - latest.receivedAt) : now,
    stale: !!latest && now - latest.receivedAt > STALE_AFTER_MS,
    error,
    revoked,
  };
}
