import { describe, expect, it } from 'vitest';
import { shortcutFor } from '@/lib/client/room/shortcuts';

const press = (key: string, over: Partial<Parameters<typeof shortcutFor>[0]> = {}) =>
  shortcutFor({ key, ctrlKey: false, altKey: false, metaKey: false, repeat: false, target: { tagName: 'BODY' } as unknown as EventTarget, ...over });

describe('meeting shortcuts', () => {
  it('maps M, V, D, R and ? (either case) to their actions, Escape to close', () => {
    expect([press('m'), press('V'), press('d'), press('r'), press('?'), press('Escape')]).toEqual(['mic', 'camera', 'screen', 'hand', 'help', 'close']);
    expect(press('x')).toBeNull();
  });

  it('leaves keys typed into a field, held with a modifier, or repeating alone', () => {
    for (const tagName of ['INPUT', 'textarea', 'SELECT']) expect(press('m', { target: { tagName } as unknown as EventTarget })).toBeNull();
    expect(press('m', { target: { tagName: 'DIV', isContentEditable: true } as unknown as EventTarget })).toBeNull();
    expect(press('m', { ctrlKey: true })).toBeNull();
    expect(press('r', { metaKey: true })).toBeNull();
    expect(press('d', { altKey: true })).toBeNull();
    expect(press('m', { repeat: true })).toBeNull();
    expect(press('m', { target: null })).toBe('mic');
  });
});
