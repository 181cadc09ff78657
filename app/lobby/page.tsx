import { AppShell } from '@/app/components/AppShell';
import { requireUser } from '@/lib/server/pageAuth';
import { LobbyView } from './LobbyView';

export const dynamic = 'force-dynamic';

export default async function LobbyPage() {
  const user = await requireUser('/lobby');
  return (
    <AppShell user={user}>
      <LobbyView />
    </AppShell>
  );
}
