'use client';
import Link from 'next/link';
import { roomClosedText } from '@/lib/protocol';
import { useRoom } from '@/lib/client/hooks/useRoom';
import { InRoom } from './InRoom';
import { PreJoin } from './PreJoin';

export interface RoomMeta {
  name: string;
  hostName: string;
  isHost: boolean;
  needsPassword: boolean;
  ended: boolean;
}

export function RoomView({ slug, me, room }: { slug: string; me: { id: string; name: string }; room: RoomMeta }) {
  const r = useRoom(slug, me.name);

  if (room.ended && r.state.phase === 'idle') {
    return <Notice title="This meeting has ended" text={`${room.name} was ended by its host.`} />;
  }
  if (r.state.phase === 'closed' && r.state.closedReason) {
    return (
      <Notice title={roomClosedText[r.state.closedReason]} text={room.name} testId="room-closed">
        {r.state.closedReason === 'media-server-restarted' && (
          <button type="button" className="button primary" onClick={() => window.location.reload()}>
            Rejoin
          </button>
        )}
      </Notice>
    );
  }
  if (r.state.phase === 'joined') return <InRoom room={r} me={me} />;
  return <PreJoin meta={room} joining={r.state.phase === 'joining'} error={r.state.error} onJoin={(o) => void r.join(o)} />;
}

function Notice({ title, text, testId, children }: { title: string; text: string; testId?: string; children?: React.ReactNode }) {
  return (
    <main className="centered">
      <div className="card" data-testid={testId}>
        <h1>{title}</h1>
        <p className="muted">{text}</p>
        <div className="row">
          {children}
          <Link className="button" href="/lobby">
            Back to the lobby
          </Link>
        </div>
      </div>
    </main>
  );
}
