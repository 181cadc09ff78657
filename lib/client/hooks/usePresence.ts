'use client';
import { useEffect, useState } from 'react';
import type { PresenceStatus, PresenceUser } from '../../protocol';
import { getSocket, request } from '../socket';

export interface PresenceView {
  loading: boolean;
  error: string | null;
  me: PresenceUser | null;
  /** Everyone else online, sorted by name. */
  users: PresenceUser[];
}

const byName = (a: PresenceUser, b: PresenceUser) => a.name.localeCompare(b.name);

/**
 * The lobby list: a snapshot on every (re)connect, then joined/left/status diffs. Diffs that arrive
 * while the snapshot is in flight are replayed on top of it, so none is lost.
 */
export function usePresence(): PresenceView {
  const [view, setView] = useState<PresenceView>({ loading: true, error: null, me: null, users: [] });

  useEffect(() => {
    const socket = getSocket();
    let pending: Array<(users: Map<string, PresenceUser>, me: PresenceUser | null) => PresenceUser | null> | null = null;
    let users = new Map<string, PresenceUser>();
    let me: PresenceUser | null = null;
    let disposed = false;

    const publish = () => {
      if (!disposed) setView({ loading: false, error: null, me, users: [...users.values()].sort(byName) });
    };
    const apply = (diff: (u: Map<string, PresenceUser>, me: PresenceUser | null) => PresenceUser | null) => {
      if (pending) return void pending.push(diff);
      me = diff(users, me);
      publish();
    };
    const load = async () => {
      pending = [];
      try {
        const snap = await request('presence:snapshot', {});
        users = new Map(snap.users.map((u) => [u.id, u]));
        me = snap.me;
        const queued: typeof pending = pending;
        pending = null;
        for (const diff of queued) me = diff(users, me);
        publish();
      } catch (err) {
        pending = null;
        if (!disposed) setView((v) => ({ ...v, loading: false, error: (err as Error).message }));
      }
    };

    const onJoined = (user: PresenceUser) =>
      apply((u, m) => {
        if (user.id !== m?.id) u.set(user.id, user);
        return m;
      });
    const onLeft = ({ userId }: { userId: string }) =>
      apply((u, m) => {
        u.delete(userId);
        return m;
      });
    const onStatus = ({ userId, status }: { userId: string; status: PresenceStatus }) =>
      apply((u, m) => {
        const user = u.get(userId);
        if (user) u.set(userId, { ...user, status });
        return m && m.id === userId ? { ...m, status } : m;
      });

    socket.on('presence:joined', onJoined);
    socket.on('presence:left', onLeft);
    socket.on('presence:status', onStatus);
    socket.on('connect', load);
    if (socket.connected) void load();
    return () => {
      disposed = true;
      socket.off('presence:joined', onJoined);
      socket.off('presence:left', onLeft);
      socket.off('presence:status', onStatus);
      socket.off('connect', load);
    };
  }, []);

  return view;
}
