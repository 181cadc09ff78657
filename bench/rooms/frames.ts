/**
 * In the page: when each remote <video> matching a selector presented its first frame
 * (requestVideoFrameCallback), including videos the app renders later. Page clock.
 */
import type { Page } from '@playwright/test';

type FramesWindow = { __firstFrames: number[]; __stopFrames?: () => void };

export function armAllFrames(page: Page, selector: string): Promise<void> {
  return page.evaluate((sel) => {
    const w = window as unknown as FramesWindow;
    w.__stopFrames?.();
    w.__firstFrames = [];
    const hooked = new WeakSet<HTMLVideoElement>();
    const hook = () => {
      for (const video of document.querySelectorAll<HTMLVideoElement>(sel)) {
        if (hooked.has(video)) continue;
        hooked.add(video);
        video.requestVideoFrameCallback((_now, meta) => w.__firstFrames.push(meta.presentationTime));
      }
    };
    hook();
    const observer = new MutationObserver(hook);
    observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden'] });
    w.__stopFrames = () => observer.disconnect();
  }, selector);
}

/** Waits until `count` videos presented a frame; returns when the last of them did (page clock). */
export async function readAllFrames(page: Page, count: number, timeoutMs = 20_000): Promise<number> {
  const enough = (n: number) => (window as unknown as FramesWindow).__firstFrames.length >= n;
  await page.waitForFunction(enough, count, { timeout: timeoutMs, polling: 20 });
  return page.evaluate((n) => {
    const w = window as unknown as FramesWindow;
    w.__stopFrames?.();
    return [...w.__firstFrames].sort((a, b) => a - b)[n - 1]!;
  }, count);
}
