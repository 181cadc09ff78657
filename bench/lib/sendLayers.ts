/**
 * The simulcast encodings a page sends, read from its own getStats(): per rid, the picture width and
 * the rate over a window. Works in Chromium (Playwright) and Firefox (puppeteer): the page only
 * needs `window.__pcs` (bench/lib/peerConnections.ts).
 */
import type { ProbePage } from './pageProbe';

export interface SendLayer {
  rid: string;
  width: number;
  kbps: number;
}

/** In the page: every outbound video encoding with its size and bytes so far. */
function readOutboundVideo() {
  return (async () => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.filter((pc) => pc.connectionState !== 'closed');
    const out: { rid: string; frameWidth: number; bytesSent: number; at: number }[] = [];
    for (const pc of pcs) {
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type !== 'outbound-rtp' || s.kind !== 'video') return;
        out.push({ rid: String(s.rid ?? ''), frameWidth: Number(s.frameWidth ?? 0), bytesSent: Number(s.bytesSent ?? 0), at: Number(s.timestamp) });
      });
    }
    return out.sort((a, b) => a.rid.localeCompare(b.rid));
  })();
}

/** Each encoding the page sends, its width and its rate over `ms`. */
export async function sendLayers(page: ProbePage, ms = 3000): Promise<SendLayer[]> {
  const a = await page.evaluate(readOutboundVideo);
  await new Promise((r) => setTimeout(r, ms));
  const b = await page.evaluate(readOutboundVideo);
  return b.map((x) => {
    const before = a.find((y) => y.rid === x.rid);
    const kbps = before && x.at > before.at ? ((x.bytesSent - before.bytesSent) * 8) / (x.at - before.at) : 0;
    return { rid: x.rid, width: x.frameWidth, kbps: Math.round(kbps) };
  });
}
