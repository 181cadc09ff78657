'use client';
import { useState } from 'react';

/**
 * A destructive action in two steps: the first click asks, the second does it. Inline rather than
 * window.confirm(), so the question sits next to what it is about and works with any input method.
 */
export function ConfirmButton({
  text,
  label,
  question,
  confirmLabel = text,
  onConfirm,
  danger = true,
}: {
  /** What the button says, e.g. "End room". */
  text: string;
  /** Its accessible name, naming the target, e.g. "End room Weekly sync". */
  label: string;
  question: string;
  confirmLabel?: string;
  onConfirm: () => Promise<void>;
  danger?: boolean;
}) {
  const [phase, setPhase] = useState<'idle' | 'asking' | 'working'>('idle');

  if (phase === 'idle') {
    return (
      <button type="button" className="button small-button" onClick={() => setPhase('asking')} aria-label={label}>
        {text}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="muted">{question}</span>
      <button
        type="button"
        className={`button small-button ${danger ? 'danger' : 'primary'}`}
        disabled={phase === 'working'}
        onClick={() => {
          setPhase('working');
          void onConfirm().finally(() => setPhase('idle'));
        }}
      >
        {phase === 'working' ? 'Working…' : confirmLabel}
      </button>
      <button
        type="button"
        className="button small-button ghost"
        disabled={phase === 'working'}
        onClick={() => setPhase('idle')}
      >
        Cancel
      </button>
    </span>
  );
}
