'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { finalJoinRefusals, isBackToLobbyReason, lobbyNoticeHref, roomClosedText } from '@/lib/protocol';
import { useRoom } from '@/lib/client/hooks/useRoom';
import { InRoom } from './InRoom';
import { PreJoin } from './PreJoin';

export interface RoomMeta {
  name: string;
  hostName: string;
  isHost: boolean;
  needsPassword: boolean;
  ended: boolean;
  /** Joiners knock first (never the host). */
  waitingRoom: boolean;
}

export function RoomView({ slug, me, room }: { slug: string; me: { id: string; name: string }; room: RoomMeta }) {
  const r = useRoom(slug, me.name);
  const router = useRouter();
  const closedReason = r.state.phase === 'closed' ? r.state.closedReason : null;
  const backToLobby = !!closedReason && isBackToLobbyReason(closedReason);

  // The meeting is over for us (ended, or we were removed): the lobby shows why, as a banner.
  useEffect(() => {
    if (closedReason && isBackToLobbyReason(closedReason)) router.replace(lobbyNoticeHref(closedReason, room.name));
  }, [closedReason, room.name, router]);

  if (room.ended && r.state.phase === 'idle') {
    return <Notice title="This meeting has ended" text={`${room.name} was ended by its host.`} />;
  }
  if (backToLobby) return <Notice title={roomClosedText[closedReason]} text="Returning to the lobby…" />;
  if (closedReason) {
    return (
      <Notice title={roomClosedText[closedReason]} text={room.name} testId="room-closed">
        {closedReason === 'seat-expired' && (
          <button type="button" className="button primary" onClick={() => window.location.reload()}>
            Rejoin
          </button>
        )}
      </Notice>
    );
  }
  if (r.state.phase === 'joined') return <InRoom room={r} me={me} />;
  // A refusal that trying again will not change: the camera is already released (RoomSession).
  if (r.state.phase === 'idle' && r.state.error && finalJoinRefusals.includes(r.state.error.code)) {
    return (
      <Notice title={r.state.error.message} text={`You could not join ${room.name}.`} testId="join-refused">
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Try again
        </button>
      </Notice>
    );
  }
  if (r.state.knock?.status === 'denied') {
    return (
      <Notice title={r.state.knock.message ?? 'The host did not let you in'} text={`You asked to join ${room.name}.`} testId="knock-denied" />
    );
  }
  return (
    <PreJoin
      meta={room}
      joining={r.state.phase === 'joining'}
      knock={r.state.knock}
      error={r.state.error}
      onJoin={(o) => void r.join(o)}
      onCancelKnock={() => void r.cancelKnock()}
      onPrepare={r.prepare}
    />
  );
}

function Notice({
  title,
  text,
  testId,
  children,
}: {
  title: string;
  text: string;
  testId?: string;
  children?: React.ReactNode;
}) {
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
