/**
 * Display names are how people find and call each other, so no two may look alike.
 *
 * - The stored name is NFKC-normalised, with runs of white space collapsed to one space.
 * - Refused outright: control, format and bidi characters (zero-width spaces, RTL overrides…),
 *   default-ignorable code points (invisible fillers), private-use and unassigned code points,
 *   line separators, and stacks of combining marks.
 * - Uniqueness is decided on two confusable skeletons (Unicode TS #39, with the confusables table
 *   as packaged by `unhomoglyph`), both without combining marks, each unique in the database:
 *   - the key, taken of the case-folded name: "Mallory", "MALLORY", "Маllory" (Cyrillic а) and
 *     "Mallóry" share it;
 *   - the skeleton, taken of the name as written: catches look-alikes that exist in one case only,
 *     "MaIlory" (capital i for l), "ВОВ" (Cyrillic capitals) for "BOB".
 *   Two names clash when either matches; no single key can hold both, because case-folding and
 *   look-alikeness disagree (capital I looks like l, small i does not).
 */
import unhomoglyph from 'unhomoglyph';

export const DISPLAY_NAME_MAX = 40;

const REFUSED_CHARS = '[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}\\p{Cs}\\p{Zl}\\p{Zp}\\p{Default_Ignorable_Code_Point}]';
const REFUSED = new RegExp(REFUSED_CHARS, 'u');
const MARK_STACK = /\p{M}{3,}/u;
const MARKS = /\p{M}+/gu;

export function normalizeDisplayName(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

const bare = (s: string) => s.normalize('NFD').replace(MARKS, '');
const skeleton = (s: string) => bare(unhomoglyph(bare(s)));

/** The skeleton of the case-folded name (stored as `nameKey`). */
export function displayNameKey(name: string): string {
  return skeleton(normalizeDisplayName(name).toLowerCase());
}

/** The skeleton of the name as written (stored as `nameSkeleton`). */
export function displayNameSkeleton(name: string): string {
  return skeleton(normalizeDisplayName(name));
}

/** Returns an error message, or null when the name is acceptable. */
export function checkDisplayName(name: string): string | null {
  if (name.length === 0) return 'Display name is required';
  if ([...name].length > DISPLAY_NAME_MAX) return `Display name must be at most ${DISPLAY_NAME_MAX} characters`;
  if (REFUSED.test(name)) return 'Display name contains invisible or control characters';
  if (MARK_STACK.test(name.normalize('NFD'))) return 'Display name has too many accents on one letter';
  if (displayNameKey(name).trim().length === 0) return 'Display name needs at least one visible letter or digit';
  return null;
}

/**
 * The nearest acceptable name to one stored under older rules (for the start-up migration):
 * refused characters dropped, mark stacks cut to two, the length capped.
 */
export function sanitizeDisplayName(raw: string): string {
  const cleaned = normalizeDisplayName(
    raw
      .normalize('NFKC')
      .replace(new RegExp(REFUSED_CHARS, 'gu'), '')
      .normalize('NFD')
      .replace(/(\p{M}{2})\p{M}+/gu, '$1')
      .normalize('NFC'),
  );
  const capped = [...cleaned].slice(0, DISPLAY_NAME_MAX).join('').trim();
  return checkDisplayName(capped) === null ? capped : 'User';
}
