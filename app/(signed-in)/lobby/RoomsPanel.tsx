'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ROOM_NAME_MAX } from '@/lib/protocol';
import { useRoomList } from '@/lib/client/hooks/useRoomList';
import { request } from '@/lib/client/socket';
import { MyRooms } from './MyRooms';

export function RoomsPanel() {
  const { rooms, error } = useRoomList();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const [view, setView] = useState<'open' | 'mine'>('open');

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    const password = String(form.get('password') ?? '') || undefined;
    const waitingRoom = form.get('waitingRoom') === 'on';
    setBusy(true);
    setCreateError(null);
    try {
      const { room } = await request('room:create', { name, password, waitingRoom });
      router.push(`/room/${room.slug}`);
    } catch (err) {
      setCreateError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <section className="panel">
      <div className="panel-head">
        <h1>Rooms</h1>
        <div className="tabs" role="tablist" aria-label="Which rooms">
          <button type="button" role="tab" aria-selected={view === 'open'} onClick={() => setView('open')}>
            Open rooms
          </button>
          <button type="button" role="tab" aria-selected={view === 'mine'} onClick={() => setView('mine')}>
            My rooms
          </button>
        </div>
      </div>
      <form className="rooms-form" onSubmit={create}>
        <input name="name" required maxLength={ROOM_NAME_MAX} placeholder="New room name" aria-label="Room name" />
        <input name="password" type="password" placeholder="Password (optional)" aria-label="Room password" autoComplete="new-password" />
        <label className="check">
          <input name="waitingRoom" type="checkbox" /> Waiting room
        </label>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create room'}
        </button>
      </form>
      {createError && (
        <p className="error" role="alert">
          {createError}
        </p>
      )}
      {view === 'mine' ? (
        <MyRooms />
      ) : rooms === null ? (
        error ? <p className="error">Could not load rooms: {error}</p> : <p className="muted">Loading rooms…</p>
      ) : rooms.length === 0 ? (
        <p className="muted" data-testid="rooms-empty">
          No open rooms. Create one and share its link.
        </p>
      ) : (
        <ul className="people" data-testid="rooms">
          {rooms.map((r) => (
            <li key={r.slug} className="person" data-testid="room-entry" data-room-name={r.name}>
              <span className="name">
                {r.name} <span className="muted small">by {r.hostName}</span>
                {r.hasPassword && <span className="badge">password</span>}
                {r.waitingRoom && <span className="badge">waiting room</span>}
                {r.locked && <span className="badge">locked</span>}
              </span>
              <span className="status" data-testid="room-count" title={r.inside.join(', ')}>
                {r.inside.length > 0 ? `${r.participants} inside: ${r.inside.join(', ')}${r.participants > r.inside.length ? '…' : ''}` : `${r.participants} inside`}
              </span>
              <Link className="button" href={`/room/${r.slug}`}>
                Join
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
