import { notFound } from 'next/navigation';
import { requireUser } from '@/lib/server/pageAuth';
import { CallView } from './CallView';

export const dynamic = 'force-dynamic';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function CallPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  await requireUser(`/call/${id}`);
  return <CallView callId={id} />;
}
