/**
 * Timing inside the page, on the page's own clock (performance.now()), so that nothing between the
 * benchmark and the browser — Playwright's round trips, polling intervals — lands in a measurement.
 *
 * An init script (installed in every page of a context before the app's own scripts) records:
 *   - each button click, in the capture phase, before the app's handler runs;
 *   - each client-side navigation (history.pushState) and camera/microphone request (getUserMedia);
 *   - each RTCPeerConnection: when it was created, got its first remote track, and connected;
 * and, once armed with a selector, the first video frame presented by any matching <video>
 * (requestVideoFrameCallback), whenever that element appears.
 */
import type { BrowserContext, Page } from '@playwright/test';

export interface PeerTimes {
  created: number;
  track: number | null;
  /** First offer / answer in place (set locally or remotely, whichever came first). */
  offer: number | null;
  answer: number | null;
  /** First ICE candidate this side gathered, and the first one of the peer's it was given. */
  localCandidate: number | null;
  remoteCandidate: number | null;
  /** ICE found a working candidate pair. */
  iceConnected: number | null;
  /** ICE and DTLS done: media can flow. */
  connected: number | null;
}

export interface Span {
  start: number;
  end: number | null;
}

export interface FirstFrame {
  /** performance.now() when the frame was handed to the compositor. */
  presented: number;
  /** When the last packet of the frame arrived (WebRTC sources), if the browser says. */
  received: number | null;
  width: number;
}

/** A frame whose width differs from the one before (a simulcast layer switch), within 5 s of the first. */
export interface WidthChange {
  presented: number;
  width: number;
}

interface Probe {
  clicks: { label: string; t: number }[];
  navigations: number[];
  media: Span[];
  peers: PeerTimes[];
  /** Main-thread tasks over 50 ms (PerformanceObserver 'longtask'): time the page's JS could not run. */
  longTasks: Span[];
  frame: FirstFrame | null;
  widths: WidthChange[];
  stop: (() => void) | null;
}

type ProbeWindow = { __bench: Probe };

/** Runs in the page (serialised by Playwright or puppeteer): must not reference anything outside itself. */
export function installProbe() {
  const probe: Probe = { clicks: [], navigations: [], media: [], peers: [], longTasks: [], frame: null, widths: [], stop: null };
  (window as unknown as ProbeWindow).__bench = probe;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longTasks.push({ start: e.startTime, end: e.startTime + e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No long-task timing in this browser: the list stays empty.
  }
  window.addEventListener(
    'click',
    (e) => {
      const t = performance.now();
      const button = e.target instanceof Element ? e.target.closest('button') : null;
      if (button) probe.clicks.push({ label: button.textContent?.trim() ?? '', t });
    },
    true,
  );
  const pushState = history.pushState.bind(history);
  history.pushState = (...args: Parameters<History['pushState']>) => {
    probe.navigations.push(performance.now());
    pushState(...args);
  };
  const media = navigator.mediaDevices;
  if (media) {
    const getUserMedia = media.getUserMedia.bind(media);
    media.getUserMedia = (constraints?: MediaStreamConstraints) => {
      const span: Span = { start: performance.now(), end: null };
      probe.media.push(span);
      const result = getUserMedia(constraints);
      void result.then(() => (span.end = performance.now())).catch(() => undefined);
      return result;
    };
  }
  const Native = window.RTCPeerConnection;
  const described = (times: PeerTimes, type: RTCSdpType | undefined) => {
    if (type === 'offer') times.offer ??= performance.now();
    if (type === 'answer') times.answer ??= performance.now();
  };
  const timesOf = new WeakMap<RTCPeerConnection, PeerTimes>();
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      const times: PeerTimes = {
        created: performance.now(),
        track: null,
        offer: null,
        answer: null,
        localCandidate: null,
        remoteCandidate: null,
        iceConnected: null,
        connected: null,
      };
      timesOf.set(this, times);
      probe.peers.push(times);
      this.addEventListener('icecandidate', (e) => {
        if (e.candidate) times.localCandidate ??= performance.now();
      });
      this.addEventListener('track', () => (times.track ??= performance.now()));
      this.addEventListener('iceconnectionstatechange', () => {
        if (this.iceConnectionState === 'connected' || this.iceConnectionState === 'completed') times.iceConnected ??= performance.now();
      });
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'connected') times.connected ??= performance.now();
      });
    }
    override async setLocalDescription(d?: RTCLocalSessionDescriptionInit) {
      await super.setLocalDescription(d);
      described(timesOf.get(this)!, this.localDescription?.type);
    }
    override async setRemoteDescription(d: RTCSessionDescriptionInit) {
      await super.setRemoteDescription(d);
      described(timesOf.get(this)!, d.type);
    }
    override async addIceCandidate(c?: RTCIceCandidateInit | null) {
      if (c?.candidate) timesOf.get(this)!.remoteCandidate ??= performance.now();
      await super.addIceCandidate(c ?? undefined);
    }
  } as typeof RTCPeerConnection;
}

export async function installPageProbe(context: BrowserContext): Promise<void> {
  // tsx compiles this file with esbuild's keepNames, which wraps named functions in a `__name(fn,
  // "name")` helper; Playwright ships a function's source text to the page without that helper.
  await context.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
  await context.addInitScript(installProbe);
}

/**
 * Forgets earlier clicks, peers and frames, and starts watching for the first frame of any <video>
 * matching `selector`, including ones the app has not rendered yet.
 */
/**
 * What the probe needs of a page: Playwright's, or puppeteer's (Firefox) cast to it — both evaluate
 * `(fn, arg)` in the page the same way.
 */
export type ProbePage = Pick<Page, 'evaluate' | 'url'>;

export function armFirstFrame(page: ProbePage, selector: string): Promise<void> {
  return page.evaluate((sel) => {
    const probe = (window as unknown as ProbeWindow).__bench;
    probe.stop?.();
    Object.assign(probe, { clicks: [], navigations: [], media: [], peers: [], longTasks: [], frame: null, widths: [] });
    const hooked = new WeakSet<HTMLVideoElement>();
    const hook = () => {
      for (const video of document.querySelectorAll<HTMLVideoElement>(sel)) {
        if (hooked.has(video)) continue;
        hooked.add(video);
        const onFrame: VideoFrameRequestCallback = (_now, meta) => {
          const received = (meta as { receiveTime?: number }).receiveTime ?? null;
          probe.frame ??= { presented: meta.presentationTime, received, width: meta.width };
          if (probe.widths.at(-1)?.width !== meta.width) probe.widths.push({ presented: meta.presentationTime, width: meta.width });
          if (meta.presentationTime - probe.frame.presented < 5000) video.requestVideoFrameCallback(onFrame);
        };
        video.requestVideoFrameCallback(onFrame);
      }
    };
    hook();
    const observer = new MutationObserver(hook);
    observer.observe(document, { childList: true, subtree: true });
    probe.stop = () => observer.disconnect();
  }, selector);
}

export interface ProbeReading {
  /** performance.timeOrigin of the page: turns its times into a clock shared with other pages. */
  origin: number;
  click: number | null;
  frame: FirstFrame;
  navigations: number[];
  media: Span[];
  peers: PeerTimes[];
  longTasks: Span[];
  widths: WidthChange[];
}

/** Waits for the armed first frame, then returns what the probe saw. */
export async function readFirstFrame(page: ProbePage, clickLabel: string, timeoutMs = 15_000): Promise<ProbeReading> {
  // Polled from here rather than with waitForFunction, which puppeteer and Playwright call differently.
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(() => (window as unknown as ProbeWindow).__bench.frame !== null))) {
    if (Date.now() > deadline) {
      throw new Error(`no remote video frame at ${new URL(page.url()).pathname.replace(/[0-9a-f-]{36}$/, '<id>')} within ${timeoutMs / 1000} s — ${await describeProbe(page)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return page.evaluate((label) => {
    const probe = (window as unknown as ProbeWindow).__bench;
    probe.stop?.();
    const click = probe.clicks.filter((c) => c.label === label).at(-1)?.t ?? null;
    const { frame, navigations, media, peers, longTasks, widths } = probe;
    return { origin: performance.timeOrigin, click, frame: frame!, navigations, media, peers, longTasks, widths };
  }, clickLabel);
}

/** What the page had got to, in words, for the message of a run that timed out. */
function describeProbe(page: ProbePage): Promise<string> {
  return page
    .evaluate(() => {
      const probe = (window as unknown as ProbeWindow).__bench;
      const yes = (t: number | null) => (t === null ? 'no' : 'yes');
      const peers = probe.peers.map((p) => `remote track ${yes(p.track)}, ICE connected ${yes(p.iceConnected)}, connected ${yes(p.connected)}`);
      const videos = [...document.querySelectorAll('video')].map((v) => {
        const where = v.closest('[data-testid]')?.getAttribute('data-testid') ?? 'video';
        return `${where} ${v.srcObject ? `has a stream (readyState ${v.readyState})` : 'has no stream'}`;
      });
      return `peer connections: ${peers.join('; ') || 'none'}; videos: ${videos.join(', ') || 'none'}`;
    })
    .catch((err: unknown) => `(page unreadable: ${String(err)})`);
}

/**
 * Waits until the armed video has presented a frame at least `minWidth` wide (or `timeoutMs` passed)
 * and returns when that frame was presented (page clock), or null if none came.
 */
export async function readWideFrame(page: Page, minWidth: number, timeoutMs = 5000): Promise<number | null> {
  const found = (w: number) =>
    (window as unknown as ProbeWindow).__bench.widths.find((c) => c.width >= w)?.presented ?? null;
  try {
    await page.waitForFunction(found, minWidth, { timeout: timeoutMs, polling: 50 });
  } catch {
    return null;
  }
  return page.evaluate(found, minWidth);
}
