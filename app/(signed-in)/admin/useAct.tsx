'use client';
import { useCallback, useState } from 'react';
import type { Act } from './live/types';

type Outcome = { ok: boolean; text: string; at: number };

/** Runs admin actions and keeps the last outcome for the status line (success or the server's reason). */
export function useAct(after?: () => void): { act: Act; status: React.ReactNode } {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const act = useCallback<Act>(
    async (success, run) => {
      try {
        await run();
        setOutcome({ ok: true, text: success, at: Date.now() });
        after?.();
      } catch (err) {
        setOutcome({ ok: false, text: (err as Error).message || 'That did not work', at: Date.now() });
      }
    },
    [after],
  );
  const status = (
    <p
      className={`action-status ${outcome && !outcome.ok ? 'error' : ''}`}
      role="status"
      aria-live="polite"
      data-testid="admin-action-status"
    >
      {outcome ? outcome.text : ''}
    </p>
  );
  return { act, status };
}
