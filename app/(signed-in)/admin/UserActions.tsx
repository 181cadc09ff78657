'use client';
import { request } from '@/lib/client/socket';
import type { UserRole } from '@/lib/protocol';
import { ConfirmButton } from './ConfirmButton';
import type { Act } from './live/types';

export interface ActionableUser {
  id: string;
  name: string;
  role: UserRole;
  disabled: boolean;
}

/** Disable / re-enable and promote / demote; none for yourself (the server refuses those too). */
export function UserActions({ user, meId, act }: { user: ActionableUser; meId: string; act: Act }) {
  if (user.id === meId) return <span className="muted small">you</span>;
  const isAdmin = user.role === 'admin';
  return (
    <span className="row">
      {user.disabled ? (
        <ConfirmButton
          text="Re-enable"
          label={`Re-enable ${user.name}`}
          question={`Let ${user.name} sign in again?`}
          danger={false}
          onConfirm={() =>
            act(`Re-enabled ${user.name}`, () => request('admin:set-disabled', { userId: user.id, disabled: false }))
          }
        />
      ) : (
        <ConfirmButton
          text="Disable"
          label={`Disable ${user.name}`}
          question={`Sign ${user.name} out everywhere and block sign-in?`}
          onConfirm={() =>
            act(`Disabled ${user.name}`, () => request('admin:set-disabled', { userId: user.id, disabled: true }))
          }
        />
      )}
      {!user.disabled && (
        <ConfirmButton
          text={isAdmin ? 'Remove admin' : 'Make admin'}
          label={`${isAdmin ? 'Remove admin role from' : 'Make admin'} ${user.name}`}
          question={isAdmin ? `${user.name} loses admin access now.` : `${user.name} gets full admin access.`}
          confirmLabel={isAdmin ? 'Remove admin' : 'Make admin'}
          danger={isAdmin}
          onConfirm={() =>
            act(isAdmin ? `${user.name} is no longer an admin` : `${user.name} is now an admin`, () =>
              request('admin:set-role', { userId: user.id, role: isAdmin ? 'user' : 'admin' }),
            )
          }
        />
      )}
    </span>
  );
}
