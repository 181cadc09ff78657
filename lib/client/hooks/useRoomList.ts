'use client';
import { useEffect, useState } from 'react';
import type { RoomSummary } from '../../protocol';
import { getSocket, request } from '../socket';

/** Open rooms for the lobby: a list on (re)connect, then updates (live participant counts). */
export function useRoomList() {
  const [rooms, setRooms] = useState<RoomSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const socket = getSocket();
    let disposed = false;
    const load = () =>
      request('room:list', {}).then(
        ({ rooms: list }) => !disposed && (setRooms(list), setError(null)),
        (err: Error) => !disposed && setError(err.message),
      );
    const onUpdated = ({ room }: { room: RoomSummary }) =>
      setRooms((list) => {
        if (!list) return list;
        const i = list.findIndex((r) => r.slug === room.slug);
        if (i < 0) return [room, ...list];
        const next = list.slice();
        next[i] = room;
        return next;
      });
    const onRemoved = ({ slug }: { slug: string }) => setRooms((list) => list && list.filter((r) => r.slug !== slug));
    socket.on('rooms:updated', onUpdated);
    socket.on('rooms:removed', onRemoved);
    socket.on('connect', load);
    if (socket.connected) void load();
    return () => {
      disposed = true;
      socket.off('rooms:updated', onUpdated);
      socket.off('rooms:removed', onRemoved);
      socket.off('connect', load);
    };
  }, []);

  return { rooms, error };
}
