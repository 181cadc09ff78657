/** Tile width (CSS px) → simulcast layer: thumbnails get ¼ resolution, large tiles the full one. */
export function layerForWidth(width: number): number {
  if (width >= 560) return 2;
  if (width >= 240) return 1;
  return 0;
}
