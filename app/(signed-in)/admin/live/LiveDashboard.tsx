'use client';
import { useAdminFeed } from '@/lib/client/hooks/useAdminFeed';
import { formatClock } from '../format';
import { useAct } from '../useAct';
import { CallsSection } from './CallsSection';
import { Charts } from './Charts';
import { RoomsSection } from './RoomsSection';
import { UsersSection } from './UsersSection';
import { WorkersSection } from './WorkersSection';

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function LiveDashboard({ meId }: { meId: string }) {
  const feed = useAdminFeed();
  const { act, status } = useAct();

  if (feed.revoked) {
    return (
      <div className="panel" role="alert" data-testid="admin-revoked">
        <h2>Admin access ended</h2>
        <p className="muted">{feed.revoked} Live updates have stopped.</p>
        <a className="button" href="/lobby">
          Go to the lobby
        </a>
      </div>
    );
  }
  if (!feed.snapshot) {
    return feed.error ? (
      <p className="notice error" role="alert">
        Could not load the live view: {feed.error}
      </p>
    ) : (
      <div className="panel skeleton admin-loading" aria-busy="true" data-testid="admin-loading">
        Loading the live view…
      </div>
    );
  }

  const s = feed.snapshot;
  return (
    <div className="admin-live" data-testid="admin-live">
      <p className={`live-line ${feed.stale ? 'stale' : ''}`} role={feed.stale ? 'alert' : undefined}>
        {feed.stale
          ? `Not updating: the last update was at ${formatClock(s.at)}. Reconnecting…`
          : `Live · updated ${formatClock(s.at)} · ${count(s.rooms.length, 'room')} · ${count(s.calls.length, 'call')} · ${s.users.length} online`}
      </p>
      {status}
      <RoomsSection rooms={s.rooms} serverNow={feed.serverNow} act={act} />
      <CallsSection calls={s.calls} serverNow={feed.serverNow} act={act} />
      <Charts history={feed.history} />
      <div className="admin-columns">
        <UsersSection users={s.users} meId={meId} serverNow={feed.serverNow} act={act} />
        <WorkersSection workers={s.workers} nodes={s.nodes} />
      </div>
    </div>
  );
}
