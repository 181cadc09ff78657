import { notFound } from 'next/navigation';
import { requireUser } from '@/lib/server/pageAuth';
import { services } from '@/lib/server/services';
import { RoomView } from './RoomView';

export const dynamic = 'force-dynamic';

export default async function RoomPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) notFound();
  const user = await requireUser(`/room/${slug}`);
  const room = await services().db.room.findUnique({
    where: { slug },
    select: { name: true, passwordHash: true, hostId: true, endedAt: true, waitingRoom: true, host: { select: { name: true } } },
  });
  if (!room) notFound();
  return (
    <RoomView
      slug={slug}
      me={{ id: user.id, name: user.name }}
      room={{
        name: room.name,
        hostName: room.host.name,
        isHost: room.hostId === user.id,
        needsPassword: !!room.passwordHash && room.hostId !== user.id,
        ended: !!room.endedAt,
        waitingRoom: room.waitingRoom && room.hostId !== user.id,
      }}
    />
  );
}
