'use client';
import type { AdminRoom, AdminRoomParticipant, MediaFlag } from '@/lib/protocol';
import { request } from '@/lib/client/socket';
import { ConfirmButton } from '../ConfirmButton';
import { formatBitrate, formatDuration, formatMs, formatPct } from '../format';
import type { Act } from './types';

const flagText: Record<MediaFlag, string> = { on: 'on', off: 'off', none: '–' };

function Flag({ name, value }: { name: string; value: MediaFlag }) {
  return (
    <span className={`flag flag-${value}`} title={`${name} ${value === 'none' ? 'not shared' : value}`}>
      {name} {flagText[value]}
    </span>
  );
}

export function RoomsSection({ rooms, serverNow, act }: { rooms: AdminRoom[]; serverNow: number; act: Act }) {
  return (
    <section className="panel" aria-labelledby="admin-rooms">
      <div className="panel-head">
        <h2 id="admin-rooms">Active rooms</h2>
        <span className="muted">{rooms.length}</span>
      </div>
      {rooms.length === 0 ? (
        <p className="muted empty-line" data-testid="admin-rooms-empty">
          No meeting is in progress.
        </p>
      ) : (
        rooms.map((room) => <Room key={room.id} room={room} serverNow={serverNow} act={act} />)
      )}
    </section>
  );
}

function Room({ room, serverNow, act }: { room: AdminRoom; serverNow: number; act: Act }) {
  return (
    <article className="admin-card" data-testid="admin-room" data-room-name={room.name}>
      <header className="admin-card-head">
        <div>
          <strong>{room.name}</strong> <span className="muted">/room/{room.slug}</span>
          {room.locked && <span className="badge">locked</span>}
          <div className="muted small">
            Host {room.hostName} · {room.participants.length} in the room · {room.producers} producers ·{' '}
            {room.consumers} consumers · {formatBitrate(room.bitrate)} · node {room.node}
          </div>
        </div>
        <ConfirmButton
          text="End room"
          label={`End room ${room.name}`}
          question="End it for everyone?"
          confirmLabel="End room"
          onConfirm={() => act(`Ended ${room.name}`, () => request('admin:end-room', { roomId: room.id }))}
        />
      </header>
      {room.bitrate === null && (
        <p className="notice small" role="status">
          The media server did not report stats in time; figures will return with the next update.
        </p>
      )}
      <div className="table-scroll">
        <table className="admin-table">
          <caption className="sr-only">Participants of {room.name}</caption>
          <thead>
            <tr>
              <th scope="col">Participant</th>
              <th scope="col">In for</th>
              <th scope="col">Media</th>
              <th scope="col" title="What the SFU receives from them">
                In
              </th>
              <th scope="col" title="What the SFU forwards to them">
                Out
              </th>
              <th scope="col" title="Packet loss: on what they send / on what they receive">
                Loss ↑/↓
              </th>
              <th scope="col">RTT</th>
              <th scope="col">Jitter</th>
              <th scope="col">Worker</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {room.participants.map((p) => (
              <Participant key={p.userId} p={p} room={room} serverNow={serverNow} act={act} />
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}

function Participant({
  p,
  room,
  serverNow,
  act,
}: {
  p: AdminRoomParticipant;
  room: AdminRoom;
  serverNow: number;
  act: Act;
}) {
  const m = p.media;
  return (
    <tr
      data-testid="admin-participant"
      data-user-name={p.name}
      data-in-bitrate={m?.inBitrate ?? ''}
      data-out-bitrate={m?.outBitrate ?? ''}
    >
      <th scope="row">
        {p.name}
        {p.isHost && <span className="badge">host</span>}
      </th>
      <td>{formatDuration(serverNow - p.joinedAt)}</td>
      <td>
        <span className="flags">
          <Flag name="mic" value={p.audio} />
          <Flag name="cam" value={p.video} />
          <Flag name="screen" value={p.screen ? 'on' : 'none'} />
        </span>
      </td>
      <td>{formatBitrate(m?.inBitrate)}</td>
      <td
        title={
          m?.availableOutgoingBitrate ? `Bandwidth estimate ${formatBitrate(m.availableOutgoingBitrate)}` : undefined
        }
      >
        {formatBitrate(m?.outBitrate)}
      </td>
      <td>{m ? `${formatPct(m.lossInPct)} / ${formatPct(m.lossOutPct)}` : '–'}</td>
      <td>{formatMs(m?.rttMs)}</td>
      <td>{formatMs(m?.jitterMs)}</td>
      <td>{m ? m.workerPid : '–'}</td>
      <td>
        <ConfirmButton
          text="Remove"
          label={`Remove ${p.name} from ${room.name}`}
          question={`Remove ${p.name}?`}
          confirmLabel="Remove"
          onConfirm={() =>
            act(`Removed ${p.name} from ${room.name}`, () =>
              request('admin:remove-participant', { roomId: room.id, userId: p.userId }),
            )
          }
        />
      </td>
    </tr>
  );
}
