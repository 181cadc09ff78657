import { describe, expect, it } from 'vitest';
import { checkDisplayName, displayNameKey, normalizeDisplayName } from '@/lib/server/displayName';

describe('display names', () => {
  it('compare case- and width-insensitively', () => {
    expect(displayNameKey('Alice')).toBe(displayNameKey('ALICE'));
    expect(displayNameKey('Ａｌｉｃｅ')).toBe(displayNameKey('alice')); // full-width letters
    expect(displayNameKey('  Alice   Smith ')).toBe('alice smith');
  });

  it('rejects empty, too long and control characters', () => {
    expect(checkDisplayName(normalizeDisplayName('   '))).toMatch(/required/);
    expect(checkDisplayName('x'.repeat(41))).toMatch(/at most/);
    expect(checkDisplayName('bad\u0007name')).toMatch(/invalid/);
    expect(checkDisplayName('Zoë')).toBeNull();
  });
});
