/** Display names are shown to everyone in the lobby, so they are unique ignoring case and width. */
export const DISPLAY_NAME_MAX = 40;

export function normalizeDisplayName(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

export function displayNameKey(name: string): string {
  return normalizeDisplayName(name).toLowerCase();
}

/** Returns an error message, or null when the name is acceptable. */
export function checkDisplayName(name: string): string | null {
  if (name.length === 0) return 'Display name is required';
  if (name.length > DISPLAY_NAME_MAX) return `Display name must be at most ${DISPLAY_NAME_MAX} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'Display name contains invalid characters';
  return null;
}
