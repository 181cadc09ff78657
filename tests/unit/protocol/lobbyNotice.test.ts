import { describe, expect, it } from 'vitest';
import { parseLobbyNotice } from '@/lib/protocol';

describe('lobby notice', () => {
  it('accepts only known reasons and bounded room names', () => {
    expect(parseLobbyNotice({ ended: 'ended-by-admin', room: 'Weekly' })).toEqual({
      reason: 'ended-by-admin',
      room: 'Weekly',
    });
    expect(parseLobbyNotice({ ended: 'ended-by-host', room: 'x'.repeat(500) })).toEqual({
      reason: 'ended-by-host',
      room: null,
    });
    expect(parseLobbyNotice({ ended: 'joined-elsewhere' })).toBeNull();
    expect(parseLobbyNotice({})).toBeNull();
  });
});
