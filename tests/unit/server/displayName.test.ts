import { describe, expect, it } from 'vitest';
import { checkDisplayName, displayNameKey, displayNameSkeleton, normalizeDisplayName } from '@/lib/server/displayName';

describe('display names', () => {
  it('compare case- and width-insensitively', () => {
    expect(displayNameKey('Alice')).toBe(displayNameKey('ALICE'));
    expect(displayNameKey('Ａｌｉｃｅ')).toBe(displayNameKey('alice')); // full-width letters
    expect(displayNameKey('  Alice   Smith ')).toBe(displayNameKey('alice smith'));
  });

  it('give look-alikes the same key or skeleton (TS #39)', () => {
    const original = displayNameKey('Mallory53316');
    expect(displayNameKey('M\u0430llory53316')).toBe(original); // Cyrillic а
    expect(displayNameSkeleton('MaIlory53316')).toBe(displayNameSkeleton('Mallory53316')); // capital i for l
    expect(displayNameSkeleton('\u0412\u041e\u0412')).toBe(displayNameSkeleton('BOB')); // Cyrillic capitals
    expect(displayNameKey('Alice')).toBe(displayNameKey('ALICE'));
    expect(displayNameKey('Mallory5331\u0665')).not.toBe(displayNameKey('Mallory53317')); // distinct digits stay distinct
    expect(displayNameKey('Mallo\u0301ry53316')).toBe(original); // combining acute
    expect(displayNameKey('Malløry53316')).not.toBe(''); // a different letter is allowed to differ
    expect(displayNameKey('Bob')).not.toBe(displayNameKey('Rob'));
  });

  it('refuses invisible, control, format and bidi characters', () => {
    for (const bad of [
      'Mall\u200bory', // zero-width space
      'Mallory\u202e', // RTL override
      '\u2066Mallory', // bidi isolate
      'Mall\u00adory', // soft hyphen
      'bad\u0007name', // bell
      'Mal\u3164lory', // Hangul filler (default-ignorable, renders blank)
      'Mal\ue000lory', // private use
      'Zalgo\u0301\u0302\u0303',
    ]) {
      expect(checkDisplayName(normalizeDisplayName(bad)), JSON.stringify(bad)).not.toBeNull();
    }
  });

  it('turns exotic spaces (and a BOM, which JavaScript counts as one) into plain single spaces', () => {
    expect(normalizeDisplayName('Mallory\ufeff')).toBe('Mallory');
    expect(normalizeDisplayName('Ann\u00a0\u3000Lee')).toBe('Ann Lee');
  });

  it('rejects empty and too long, accepts ordinary names in any script', () => {
    expect(checkDisplayName(normalizeDisplayName('   '))).toMatch(/required/);
    expect(checkDisplayName('x'.repeat(41))).toMatch(/at most/);
    for (const fine of ['Zoë', 'José María', '李小龙', 'Ольга', 'محمد', 'Anne-Marie O’Neil', 'Ada 🚀']) {
      expect(checkDisplayName(normalizeDisplayName(fine)), fine).toBeNull();
    }
  });
});
