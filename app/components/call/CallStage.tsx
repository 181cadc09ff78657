'use client';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { callIdInPath } from '@/lib/protocol';
import { CallView } from './CallView';

/**
 * The in-call view is part of the signed-in shell: at a call's address (/call/<id>) the shell shows
 * it instead of the page. Moving into a call is then only a change of address (history.pushState,
 * see useCall), with no page to fetch and render from the server. That fetch used to run at the very
 * moment both browsers negotiate, and it held the offer and the answer up by ~40 ms each
 * (bench/call-setup.ts). The /call/[id] route exists for a reload or a shared link; it renders
 * nothing itself.
 */
export function CallStage({ children }: { children: ReactNode }) {
  const callId = callIdInPath(usePathname());
  return callId ? <CallView callId={callId} /> : <>{children}</>;
}
