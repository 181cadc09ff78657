'use client';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { ROOM_NAME_MAX, type RoomSummary } from '@/lib/protocol';
import { request } from '@/lib/client/socket';

/** "My rooms": the rooms you host (unused ones too), to rename or delete. */
export function MyRooms() {
  const [rooms, setRooms] = useState<RoomSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);

  const load = useCallback(() => {
    request('room:mine', {}).then(
      ({ rooms: list }) => (setRooms(list), setError(null)),
      (err: Error) => setError(err.message),
    );
  }, []);
  useEffect(load, [load]);

  async function act(work: () => Promise<unknown>) {
    setError(null);
    try {
      await work();
      setEditing(null);
      load();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  if (rooms === null) return error ? <p className="error">Could not load your rooms: {error}</p> : <p className="muted">Loading your rooms…</p>;
  return (
    <>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {rooms.length === 0 ? (
        <p className="muted">You host no rooms yet.</p>
      ) : (
        <ul className="people" data-testid="my-rooms">
          {rooms.map((r) => (
            <li key={r.slug} className="person" data-testid="my-room" data-room-name={r.name}>
              {editing === r.slug ? (
                <form
                  className="row grow"
                  onSubmit={(e) => {
                    e.preventDefault();
                    const name = String(new FormData(e.currentTarget).get('name') ?? '');
                    void act(() => request('room:rename', { slug: r.slug, name }));
                  }}
                >
                  <input name="name" defaultValue={r.name} required maxLength={ROOM_NAME_MAX} aria-label={`New name for ${r.name}`} autoFocus />
                  <button type="submit" className="button primary">
                    Save
                  </button>
                  <button type="button" className="button ghost" onClick={() => setEditing(null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <>
                  <span className="name">
                    {r.name} <span className="muted small">last used {new Date(r.lastActiveAt).toLocaleDateString()}</span>
                  </span>
                  <Link className="button" href={`/room/${r.slug}`}>
                    Open
                  </Link>
                  <button type="button" className="button ghost" onClick={() => setEditing(r.slug)} aria-label={`Rename ${r.name}`}>
                    Rename
                  </button>
                  <button
                    type="button"
                    className="button ghost"
                    aria-label={`Delete ${r.name}`}
                    onClick={() => {
                      if (window.confirm(`Delete "${r.name}"? A meeting on in it ends for everyone.`)) void act(() => request('room:delete', { slug: r.slug }));
                    }}
                  >
                    Delete
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
