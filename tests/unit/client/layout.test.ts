import { describe, expect, it } from 'vitest';
import { arrange, fitGrid, spoke, type LayoutInput, type TileRef } from '@/lib/client/room/layout';

const tile = (userId: string, source: 'camera' | 'screen' = 'camera', self = false): TileRef => ({ key: `${userId}:${source}`, userId, source, self });
const people = (n: number) => [tile('me', 'camera', true), ...Array.from({ length: n }, (_, i) => tile(`u${i + 1}`))];
const base = (tiles: TileRef[], over: Partial<LayoutInput> = {}): LayoutInput => ({
  tiles,
  mode: 'grid',
  pinned: null,
  spotlight: null,
  activeSpeaker: null,
  speakerOrder: [],
  maxVisible: 16,
  page: 0,
  ...over,
});

describe('fitGrid', () => {
  it('4 people at 1280×800 (the grid area beside the side panel) → 2 × 2', () => {
    expect(fitGrid(4, { width: 940, height: 640 })).toMatchObject({ cols: 2, rows: 2 });
    expect(fitGrid(4, { width: 1280, height: 720 })).toMatchObject({ cols: 2, rows: 2, width: 632, height: 355 });
  });

  it('keeps the aspect ratio, picks one row for a wide strip and one column for a tall one', () => {
    const wide = fitGrid(3, { width: 1800, height: 300 });
    expect(wide).toMatchObject({ cols: 3, rows: 1 });
    expect(wide.width / wide.height).toBeCloseTo(16 / 9, 1);
    expect(fitGrid(3, { width: 375, height: 700 })).toMatchObject({ cols: 1, rows: 3 });
  });

  it('grows to 3 × 3 for 9 and 4 × 4 for 16 in a 16:9 box; survives nothing to lay out and no room', () => {
    expect(fitGrid(9, { width: 1600, height: 900 })).toMatchObject({ cols: 3, rows: 3 });
    expect(fitGrid(16, { width: 1600, height: 900 })).toMatchObject({ cols: 4, rows: 4 });
    expect(fitGrid(0, { width: 100, height: 100 }).cols).toBe(1);
    expect(fitGrid(4, { width: 0, height: 0 }).width).toBe(0);
  });
});

describe('arrange', () => {
  it('a grid of everyone, no stage, when nothing asks for one', () => {
    expect(arrange(base(people(3)))).toEqual({ stage: null, shown: ['me:camera', 'u1:camera', 'u2:camera', 'u3:camera'], avatars: [], pages: 1, page: 0 });
  });

  it('the stage goes to: your pin, then the host spotlight, then a screen share, then the speaker in speaker view', () => {
    const tiles = [...people(3), tile('u2', 'screen')];
    expect(arrange(base(tiles, { mode: 'speaker', activeSpeaker: 'u3', spotlight: 'u1', pinned: 'u2:camera' })).stage).toBe('u2:camera');
    expect(arrange(base(tiles, { mode: 'speaker', activeSpeaker: 'u3', spotlight: 'u1' })).stage).toBe('u1:camera');
    expect(arrange(base(tiles, { mode: 'speaker', activeSpeaker: 'u3' })).stage).toBe('u2:screen');
    expect(arrange(base(people(3), { mode: 'speaker', activeSpeaker: 'u3' })).stage).toBe('u3:camera');
    // Silence: the last speaker keeps it; nobody spoke yet: the first other person.
    expect(arrange(base(people(3), { mode: 'speaker', speakerOrder: ['u2'] })).stage).toBe('u2:camera');
    expect(arrange(base(people(3), { mode: 'speaker' })).stage).toBe('u1:camera');
    // A pin or spotlight of someone who left is ignored.
    expect(arrange(base(people(3), { pinned: 'gone:camera', spotlight: 'gone' })).stage).toBeNull();
  });

  it('caps the remote videos: the recent speakers are on the first page, pages bring in the rest, all in join order', () => {
    const tiles = people(6);
    const first = arrange(base(tiles, { maxVisible: 3, speakerOrder: ['u5', 'u2'] }));
    expect(first).toMatchObject({ shown: ['me:camera', 'u1:camera', 'u2:camera', 'u5:camera'], pages: 2, page: 0 });
    expect(first.avatars).toEqual(['u3:camera', 'u4:camera', 'u6:camera']);
    const second = arrange(base(tiles, { maxVisible: 3, speakerOrder: ['u5', 'u2'], page: 1 }));
    expect(second.shown).toEqual(['me:camera', 'u3:camera', 'u4:camera', 'u6:camera']);
    expect(arrange(base(tiles, { maxVisible: 3, page: 9 })).page).toBe(1);
  });

  it('a stage counts against the cap', () => {
    const layout = arrange(base(people(5), { maxVisible: 3, pinned: 'u4:camera' }));
    expect(layout.stage).toBe('u4:camera');
    expect(layout.shown).toHaveLength(3); // me + 2 others
    expect(layout.avatars).toHaveLength(2);
  });
});

it('spoke() moves the speaker to the front and ignores silence', () => {
  expect(spoke(['a', 'b', 'c'], 'c')).toEqual(['c', 'a', 'b']);
  const same = ['a', 'b'];
  expect(spoke(same, 'a')).toBe(same);
  expect(spoke(same, null)).toBe(same);
});
