import { AppShell } from '@/app/components/AppShell';
import { parseLobbyNotice } from '@/lib/protocol';
import { requireUser } from '@/lib/server/pageAuth';
import { LobbyView } from './LobbyView';

export const dynamic = 'force-dynamic';

export default async function LobbyPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser('/lobby');
  return (
    <AppShell user={user}>
      <LobbyView notice={parseLobbyNotice(await searchParams)} />
    </AppShell>
  );
}
