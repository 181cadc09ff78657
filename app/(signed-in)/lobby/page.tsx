import { parseLobbyNotice } from '@/lib/protocol';
import { requireUser } from '@/lib/server/pageAuth';
import { LobbyView } from './LobbyView';

export const dynamic = 'force-dynamic';

export default async function LobbyPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireUser('/lobby');
  return <LobbyView notice={parseLobbyNotice(await searchParams)} />;
}
