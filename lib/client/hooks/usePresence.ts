'use client';
import { useEffect, useState } from 'react';
import type { PresenceDiff, PresenceUser } from '../../protocol';
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
 * The lobby list: a snapshot on every (re)connect, then batches of joined/left/status diffs, each
 * batch applied in order and rendered once. Diffs that arrive while the snapshot is in flight are
 * replayed on top of it, so none is lost.
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

    const onDiffs = (diffs: PresenceDiff[]) =>
      apply((u, m) => {
        for (const diff of diffs) m = applyDiff(u, m, diff);
        return m;
      });

    socket.on('presence:diffs', onDiffs);
    socket.on('connect', load);
    if (socket.connected) void load();
    return () => {
      disposed = true;
      socket.off('presence:diffs', onDiffs);
      socket.off('connect', load);
    };
  }, []);

  return view;
}

/** One diff onto the list (mutated) and my own entry (returned). My own `joined` is not listed. */
function applyDiff(users: Map<string, PresenceUser>, me: PresenceUser | null, diff: PresenceDiff): PresenceUser | null {
  switch (diff.type) {
    case 'joined':
      if (diff.user.id !== me?.id) users.set(diff.user.id, diff.user);
      return me;
    case 'left':
      users.delete(diff.userId);
      return me;
    case 'status': {
      const user = users.get(diff.userId);
      if (user) users.set(diff.userId, { ...user, status: diff.status });
      return me && me.id === diff.userId ? { ...me, status: diff.status } : me;
    }
  }
}
