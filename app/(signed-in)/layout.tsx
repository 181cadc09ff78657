import type { ReactNode } from 'react';
import { AppShell } from '@/app/components/AppShell';
import { currentUser } from '@/lib/server/pageAuth';

export const dynamic = 'force-dynamic';

/**
 * The signed-in pages share one AppShell, and with it one CallProvider: a layout survives
 * client-side navigation, so the call state the lobby had (an accepted call, say) is still there
 * when the app moves to /call/[id]. With a shell per page, each navigation started from an empty
 * state, and the call page had to ask the server to resume the call — which made the peer rebuild
 * its connection in the middle of the first negotiation.
 *
 * Without a session the page itself redirects to sign-in (it knows its own return path).
 */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) return children;
  return <AppShell user={{ id: user.id, name: user.name, role: user.role }}>{children}</AppShell>;
}
