'use client';
import { useEffect, useRef } from 'react';
import { SHORTCUTS, shortcutFor, type ShortcutAction } from '@/lib/client/room/shortcuts';

/** Binds the meeting's shortcuts to the page while it is mounted. */
export function useShortcuts(run: (action: ShortcutAction) => void) {
  const latest = useRef(run);
  latest.current = run;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e);
      if (!action) return;
      e.preventDefault();
      latest.current(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** The `?` overlay: every shortcut, closed by its button or Escape. */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    close.current?.focus();
    return () => before?.focus?.();
  }, []);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" data-testid="shortcut-help">
      <div className="panel">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <dl className="shortcuts">
          {SHORTCUTS.map((s) => (
            <div key={s.key}>
              <dt>
                <kbd>{s.key}</kbd>
              </dt>
              <dd>{s.label}</dd>
            </div>
          ))}
        </dl>
        <button ref={close} type="button" className="button primary" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
