import { describe, expect, it } from 'vitest';
import { lossBetween, qualityOf } from '@/lib/client/sfu/quality';

describe('connection quality', () => {
  it('is unknown with nothing measured, good when all is well', () => {
    expect(qualityOf({ score: null, producerScore: null, lossPct: null, rttMs: null })).toBe(null);
    expect(qualityOf({ score: 10, producerScore: 9, lossPct: 0.5, rttMs: 40 })).toBe('good');
  });

  it('the worst of the scores, the loss and the RTT decides', () => {
    expect(qualityOf({ score: 10, producerScore: 6, lossPct: 0, rttMs: 20 })).toBe('fair');
    expect(qualityOf({ score: 10, producerScore: 10, lossPct: 4, rttMs: 20 })).toBe('fair');
    expect(qualityOf({ score: 10, producerScore: 10, lossPct: 0, rttMs: 350 })).toBe('fair');
    expect(qualityOf({ score: 3, producerScore: 10, lossPct: 0, rttMs: 20 })).toBe('poor');
    expect(qualityOf({ score: null, producerScore: null, lossPct: 12, rttMs: null })).toBe('poor');
    expect(qualityOf({ score: 10, producerScore: 10, lossPct: 0, rttMs: 700 })).toBe('poor');
  });

  it('loss is measured between two readings', () => {
    expect(lossBetween(undefined, { packetsReceived: 95, packetsLost: 5 })).toBe(5);
    expect(lossBetween({ packetsReceived: 95, packetsLost: 5 }, { packetsReceived: 195, packetsLost: 5 })).toBe(0);
    expect(lossBetween({ packetsReceived: 10, packetsLost: 0 }, { packetsReceived: 10, packetsLost: 0 })).toBe(null);
  });
});
