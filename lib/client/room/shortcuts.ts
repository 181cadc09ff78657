/**
 * The meeting's keyboard shortcuts (the same letters as Jitsi Meet's). Pure: which action a key
 * press asks for, or none. Keys typed into a field, or pressed with Ctrl, Alt or Meta, are never
 * shortcuts: the chat and the browser keep them.
 */
export type ShortcutAction = 'mic' | 'camera' | 'screen' | 'hand' | 'help' | 'close';

export const SHORTCUTS: { key: string; action: ShortcutAction; label: string }[] = [
  { key: 'M', action: 'mic', label: 'Mute or unmute your microphone' },
  { key: 'V', action: 'camera', label: 'Turn your camera off or on' },
  { key: 'D', action: 'screen', label: 'Share your screen, or stop' },
  { key: 'R', action: 'hand', label: 'Raise or lower your hand' },
  { key: '?', action: 'help', label: 'Show these shortcuts' },
];

interface KeyLike {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  repeat: boolean;
  target: EventTarget | null;
}

function typing(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean } | null;
  if (!el?.tagName) return false;
  return el.isContentEditable === true || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName.toUpperCase());
}

export function shortcutFor(e: KeyLike): ShortcutAction | null {
  if (e.key === 'Escape') return 'close';
  if (e.ctrlKey || e.altKey || e.metaKey || e.repeat || typing(e.target)) return null;
  if (e.key === '?') return 'help';
  return SHORTCUTS.find((s) => s.key.toLowerCase() === e.key.toLowerCase() && s.key !== '?')?.action ?? null;
}
