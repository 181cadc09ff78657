import { notFound } from 'next/navigation';
import { requireUser } from '@/lib/server/pageAuth';
import { callPath, isCallId } from '@/lib/protocol';

export const dynamic = 'force-dynamic';

/**
 * A call's address, opened directly or reloaded. The signed-in shell shows the call view here
 * (app/components/call/CallStage), so this page only checks the address and the session.
 */
export default async function CallPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isCallId(id)) notFound();
  await requireUser(callPath(id));
  return null;
}
