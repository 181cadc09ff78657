'use client';
import type { AdminOnlineUser, PresenceStatus } from '@/lib/protocol';
import { formatDuration } from '../format';
import { UserActions } from '../UserActions';
import type { Act } from './types';

const statusText: Record<PresenceStatus, string> = {
  available: 'Available',
  ringing: 'Ringing',
  'in-call': 'In a call',
  'in-room': 'In a room',
};

export function UsersSection({
  users,
  meId,
  serverNow,
  act,
}: {
  users: AdminOnlineUser[];
  meId: string;
  serverNow: number;
  act: Act;
}) {
  return (
    <section className="panel" aria-labelledby="admin-users">
      <div className="panel-head">
        <h2 id="admin-users">Online users</h2>
        <span className="muted">{users.length}</span>
      </div>
      {users.length === 0 ? (
        <p className="muted empty-line">Nobody is online.</p>
      ) : (
        <div className="table-scroll">
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Status</th>
                <th scope="col">Online for</th>
                <th scope="col">Tabs</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-testid="admin-online-user" data-user-name={u.name}>
                  <th scope="row">
                    {u.name}
                    {u.role === 'admin' && <span className="badge">admin</span>}
                  </th>
                  <td className={`status status-${u.status}`}>{statusText[u.status]}</td>
                  <td>{formatDuration(serverNow - u.onlineSince)}</td>
                  <td>{u.tabs}</td>
                  <td>
                    <UserActions
                      user={{ id: u.id, name: u.name, role: u.role, disabled: false }}
                      meId={meId}
                      act={act}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
