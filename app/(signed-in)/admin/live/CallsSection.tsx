'use client';
import type { AdminCall, CallParty, CallStatsSummary } from '@/lib/protocol';
import { request } from '@/lib/client/socket';
import { ConfirmButton } from '../ConfirmButton';
import { formatBitrate, formatDuration, formatMs, formatPct } from '../format';
import type { Act } from './types';

/** A browser reports every 3 s; a report older than this means it stopped (tab gone, say). */
const REPORT_STALE_MS = 10_000;

const pathText: Record<NonNullable<CallStatsSummary['candidateType']>, string> = {
  host: 'direct (LAN)',
  srflx: 'direct (STUN)',
  prflx: 'direct (peer-reflexive)',
  relay: 'relayed (TURN)',
};

export function CallsSection({ calls, serverNow, act }: { calls: AdminCall[]; serverNow: number; act: Act }) {
  return (
    <section className="panel" aria-labelledby="admin-calls">
      <div className="panel-head">
        <h2 id="admin-calls">Active 1:1 calls</h2>
        <span className="muted">{calls.length}</span>
      </div>
      {calls.length === 0 ? (
        <p className="muted empty-line" data-testid="admin-calls-empty">
          Nobody is in a 1:1 call.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">Parties</th>
                <th scope="col">State</th>
                <th scope="col">Duration</th>
                <th scope="col">Media (as each browser reports it)</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {calls.map((call) => (
                <Call key={call.callId} call={call} serverNow={serverNow} act={act} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Call({ call, serverNow, act }: { call: AdminCall; serverNow: number; act: Act }) {
  const names = `${call.caller.name} ↔ ${call.callee.name}`;
  const inBitrate = Object.values(call.stats).reduce((n, s) => n + s.inBitrate, 0);
  return (
    <tr
      data-testid="admin-call"
      data-parties={names}
      data-reports={Object.keys(call.stats).length}
      data-in-bitrate={inBitrate}
    >
      <th scope="row">{names}</th>
      <td>{call.phase === 'active' ? 'In call' : 'Ringing'}</td>
      <td>{formatDuration(serverNow - (call.answeredAt ?? call.startedAt))}</td>
      <td>
        {call.phase === 'ringing' ? (
          <span className="muted">Not answered yet</span>
        ) : (
          <ul className="party-stats">
            {[call.caller, call.callee].map((party) => (
              <PartyStats key={party.id} party={party} stats={call.stats[party.id]} serverNow={serverNow} />
            ))}
          </ul>
        )}
      </td>
      <td>
        <ConfirmButton
          text="End call"
          label={`End call ${names}`}
          question="End this call?"
          confirmLabel="End call"
          onConfirm={() => act(`Ended the call ${names}`, () => request('admin:end-call', { callId: call.callId }))}
        />
      </td>
    </tr>
  );
}

function PartyStats({
  party,
  stats,
  serverNow,
}: {
  party: CallParty;
  stats?: CallStatsSummary & { at: number };
  serverNow: number;
}) {
  if (!stats) {
    return (
      <li>
        <strong>{party.name}</strong> <span className="muted">waiting for the first report…</span>
      </li>
    );
  }
  const stale = serverNow - stats.at > REPORT_STALE_MS;
  return (
    <li className={stale ? 'stale' : undefined}>
      <strong>{party.name}</strong> ↑ {formatBitrate(stats.outBitrate)} ↓ {formatBitrate(stats.inBitrate)} · loss{' '}
      {formatPct(stats.packetLossPct)} · RTT {formatMs(stats.rttMs)} · jitter {formatMs(stats.jitterMs)}
      {stats.video && ` · ${stats.video.width}×${stats.video.height} @ ${Math.round(stats.video.fps)} fps`}
      {stats.candidateType && ` · ${pathText[stats.candidateType]}`}
      {stale && <span className="muted"> (no report for {formatDuration(serverNow - stats.at)})</span>}
    </li>
  );
}
