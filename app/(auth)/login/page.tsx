import { redirect } from 'next/navigation';
import { Suspense } from 'react';
import { currentUser } from '@/lib/server/pageAuth';
import { AuthView } from '../AuthView';

export const dynamic = 'force-dynamic';

export default async function Page() {
  if (await currentUser()) redirect('/lobby');
  return (
    <Suspense>
      <AuthView mode="login" />
    </Suspense>
  );
}
