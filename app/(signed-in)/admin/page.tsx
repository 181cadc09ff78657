import { requireAdmin } from '@/lib/server/pageAuth';
import { AdminFrame } from './AdminFrame';
import { LiveDashboard } from './live/LiveDashboard';

export const dynamic = 'force-dynamic';

export default async function AdminPage() {
  const user = await requireAdmin('/admin');
  return (
    <AdminFrame active="live">
      <LiveDashboard meId={user.id} />
    </AdminFrame>
  );
}
