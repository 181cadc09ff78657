'use client';
import { useRouter } from 'next/navigation';
import { useCallback } from 'react';
import { formatDateTime } from '../format';
import { useAct } from '../useAct';
import { UserActions, type ActionableUser } from '../UserActions';

export interface UserRowView extends ActionableUser {
  email: string;
  banReason: string | null;
  createdAt: string;
}

/** The accounts list; after an action the server-rendered page is fetched again. */
export function UsersTable({ users, meId }: { users: UserRowView[]; meId: string }) {
  const router = useRouter();
  const refresh = useCallback(() => router.refresh(), [router]);
  const { act, status } = useAct(refresh);
  return (
    <>
      {status}
      <div className="table-scroll">
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Account</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-testid="admin-account" data-user-name={u.name}>
                <th scope="row">{u.name}</th>
                <td>{u.email}</td>
                <td>{u.role === 'admin' ? <span className="badge">admin</span> : 'user'}</td>
                <td>
                  {u.disabled ? (
                    <span className="error" title={u.banReason ?? undefined}>
                      Disabled
                    </span>
                  ) : (
                    'Active'
                  )}
                </td>
                <td>{formatDateTime(new Date(u.createdAt))}</td>
                <td>
                  <UserActions user={u} meId={meId} act={act} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
