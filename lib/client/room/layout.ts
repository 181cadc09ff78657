/**
 * Where each tile of a meeting goes, as pure functions (Grid.tsx renders what these decide).
 *
 * - The grid picks rows × columns to give each video the largest area at its own aspect ratio in
 *   the space it has (4 people at 1280×800 → 2 × 2, not one row of tall, narrow tiles).
 * - A stage (one large tile, the others in a filmstrip) is taken by, in this order: the tile you
 *   pinned, the one the host spotlit for everyone, a screen share, and in speaker view the active
 *   speaker.
 * - At most `maxVisible` remote videos render at once; the others show as avatars (their consumers
 *   paused). Who is visible follows the speaker order, and pages bring in the rest.
 */

export type ViewMode = 'grid' | 'speaker';

export interface TileRef {
  /** `${userId}:camera` or `${userId}:screen`. */
  key: string;
  userId: string;
  source: 'camera' | 'screen';
  self: boolean;
}

export interface LayoutInput {
  /** In join order (our own tile first). */
  tiles: TileRef[];
  mode: ViewMode;
  /** A tile key this viewer pinned. */
  pinned: string | null;
  /** A user the host spotlit for everyone. */
  spotlight: string | null;
  activeSpeaker: string | null;
  /** User ids, the most recent speaker first. */
  speakerOrder: string[];
  maxVisible: number;
  page: number;
}

export interface Layout {
  /** The large tile, if any; the visible others are then a filmstrip. */
  stage: string | null;
  /** Tiles shown with video (the stage excluded), in a stable order. */
  shown: string[];
  /** Remote tiles shown as avatars only (their video consumers paused). */
  avatars: string[];
  /** Pages of remote tiles beyond the visible cap (1 if all fit). */
  pages: number;
  page: number;
}

export function arrange(input: LayoutInput): Layout {
  const byKey = new Map(input.tiles.map((t) => [t.key, t]));
  const screen = input.tiles.find((t) => t.source === 'screen' && !t.self);
  const speaker = input.mode === 'speaker' ? (input.activeSpeaker ?? input.speakerOrder[0] ?? null) : null;
  const stage =
    [
      input.pinned,
      input.spotlight && `${input.spotlight}:camera`,
      screen?.key,
      speaker && `${speaker}:camera`,
      // Speaker view with nobody having spoken yet: the first other person.
      input.mode === 'speaker' ? input.tiles.find((t) => !t.self)?.key : null,
    ].find((k): k is string => !!k && byKey.has(k)) ?? null;

  const self = input.tiles.filter((t) => t.self && t.key !== stage).map((t) => t.key);
  const others = input.tiles.filter((t) => !t.self && t.key !== stage);
  const cap = Math.max(1, input.maxVisible - (stage && !byKey.get(stage)!.self ? 1 : 0));
  const pages = Math.max(1, Math.ceil(others.length / cap));
  const page = Math.min(Math.max(0, input.page), pages - 1);

  // Rank by how recently each spoke (then join order); a page is a slice of that ranking, shown in
  // join order so that tiles move only when who is on the page changes.
  const spoke = new Map(input.speakerOrder.map((id, i) => [id, i]));
  const rank = (t: TileRef) => (t.source === 'screen' ? -1 : (spoke.get(t.userId) ?? Number.MAX_SAFE_INTEGER));
  const ranked = others.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i);
  const onPage = new Set(ranked.slice(page * cap, (page + 1) * cap).map(({ t }) => t.key));
  return {
    stage,
    shown: [...self, ...others.filter((t) => onPage.has(t.key)).map((t) => t.key)],
    avatars: others.filter((t) => !onPage.has(t.key)).map((t) => t.key),
    pages,
    page,
  };
}

export interface GridFit {
  cols: number;
  rows: number;
  /** Each tile's size in CSS px. */
  width: number;
  height: number;
}

/**
 * The rows × columns for `n` tiles of `aspect` (width / height) in a box that give each tile the
 * largest area, every tile keeping the aspect ratio.
 */
export function fitGrid(n: number, box: { width: number; height: number }, aspect = 16 / 9, gap = 8): GridFit {
  let best: GridFit = { cols: 1, rows: Math.max(1, n), width: 0, height: 0 };
  for (let cols = 1; cols <= Math.max(1, n); cols++) {
    const rows = Math.ceil(n / cols);
    const cellWidth = (box.width - gap * (cols - 1)) / cols;
    const cellHeight = (box.height - gap * (rows - 1)) / rows;
    if (cellWidth <= 0 || cellHeight <= 0) continue;
    const width = Math.min(cellWidth, cellHeight * aspect);
    if (width > best.width + 0.5) best = { cols, rows, width: Math.floor(width), height: Math.floor(width / aspect) };
  }
  return best;
}

/** Keeps the speaker order: `userId` spoke now (null: silence, nothing changes). */
export function spoke(order: string[], userId: string | null): string[] {
  if (!userId || order[0] === userId) return order;
  return [userId, ...order.filter((id) => id !== userId)];
}
