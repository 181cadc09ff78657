/**
 * Network faults: Confab's 1:1 calls and rooms through impaired links, in real Chromium inside
 * network namespaces (bench/netrig/). Measured from inbound video getStats() at every receiver:
 *   - a clean link against 5 % loss and 200 ms RTT: freezes, freeze time and dropped frames per
 *     minute, and frames decoded per second;
 *   - a 5 s UDP blackhole on one participant: time from link-up until every stream that stalled
 *     decodes fresh frames again (no reload, no click);
 *   - (1:1) the browser's address changes mid-call: time until media flows again.
 * Goal: media keeps decoding on the impaired link, and comes back within 10 s of each fault.
 *
 * A 1:1 call's media crosses both parties' links, so each link gets half the delay and loss there
 * (50 ms and 2.5 % each way per link: 200 ms RTT and ~5 % loss end to end); a room participant's
 * media to and from the SFU crosses its own link only (100 ms and 5 % each way).
 */
import { benchCommand } from './lib/command';
import type { BenchMode, Benchmark, BenchResult, BenchTable } from './lib/types';
import { rigUnavailable, type LinkImpairment } from './netrig/rig';
import { startCall, startRig, startRoom, timeline, videoCounters, waitDecoding, type RigUser, type VideoCounters } from './netrig/session';

const RECOVERY_GOAL_S = 10;
const BLACKHOLE_S = 5;
const plan: Record<BenchMode, { windowS: number; room: boolean; readdress: boolean }> = {
  smoke: { windowS: 4, room: false, readdress: false },
  quick: { windowS: 20, room: true, readdress: true },
  full: { windowS: 60, room: true, readdress: true },
};

interface WindowFigures {
  fps: number;
  freezesPerMin: number;
  freezeSecondsPerMin: number;
  droppedPerMin: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Inbound video over `seconds`, summed over every stream at every page, per minute. */
async function measureWindow(users: RigUser[], seconds: number): Promise<WindowFigures> {
  const before = await Promise.all(users.map((u) => videoCounters(u.page)));
  await sleep(seconds * 1000);
  const after = await Promise.all(users.map((u) => videoCounters(u.page)));
  let frames = 0;
  let freezes = 0;
  let freezeSeconds = 0;
  let dropped = 0;
  let streams = 0;
  after.forEach((counters, i) => {
    for (const [id, c] of Object.entries(counters)) {
      const b = before[i]![id] ?? { framesDecoded: 0, freezeCount: 0, totalFreezesDuration: 0, framesDropped: 0 };
      streams++;
      frames += c.framesDecoded - b.framesDecoded;
      freezes += c.freezeCount - b.freezeCount;
      freezeSeconds += c.totalFreezesDuration - b.totalFreezesDuration;
      dropped += c.framesDropped - b.framesDropped;
    }
  });
  const perMin = 60 / seconds;
  return {
    fps: frames / seconds / Math.max(1, streams),
    freezesPerMin: (freezes * perMin) / Math.max(1, streams),
    freezeSecondsPerMin: (freezeSeconds * perMin) / Math.max(1, streams),
    droppedPerMin: (dropped * perMin) / Math.max(1, streams),
  };
}

/** Whether every page decodes, and every stream it had before still advances. */
function allFlowing(before: VideoCounters[], now: VideoCounters[]): boolean {
  return now.every((counters, i) => {
    const entries = Object.entries(counters);
    if (entries.length === 0) return false;
    return entries.every(([id, c]) => c.framesDecoded > (before[i]![id]?.framesDecoded ?? 0));
  });
}

/**
 * Seconds from `t0` until media flows everywhere again (every stream advancing over 250 ms), or
 * null if not within 30 s. With `stalled` false, a fault that never stalls anything (seamless)
 * gives 0 once 5 s have passed without a stall.
 */
async function timeToFlow(users: RigUser[], t0: number, stalled: boolean): Promise<number | null> {
  let previous = await Promise.all(users.map((u) => videoCounters(u.page)));
  while (Date.now() - t0 < 30_000) {
    await sleep(250);
    const now = await Promise.all(users.map((u) => videoCounters(u.page)));
    const flowing = allFlowing(previous, now);
    previous = now;
    if (!flowing) stalled = true;
    else if (stalled) return (Date.now() - t0) / 1000;
    else if (Date.now() - t0 > 5000) return 0;
  }
  return null;
}

/** A UDP blackhole on one user's link for BLACKHOLE_S, then link-up: seconds until media flows. */
async function blackholeRecovery(users: RigUser[], victim: RigUser): Promise<number | null> {
  await victim.host.impair(both({ udp_blackhole: true }));
  await sleep(BLACKHOLE_S * 1000);
  await victim.host.impair(both({ udp_blackhole: false }));
  return timeToFlow(users, Date.now(), true);
}

const both = (l: LinkImpairment) => ({ up: l, down: l });
const clear = both({ delay_ms: 0, loss_pct: 0, udp_blackhole: false });
const fmt = (n: number, digits = 1) => n.toFixed(digits);
const recoveryText = (s: number | null) => (s === null ? '> 30 s (not recovered)' : s === 0 ? 'no stall' : `${fmt(s)} s`);

async function impairedWindows(users: RigUser[], perLink: LinkImpairment, seconds: number) {
  const clean = await measureWindow(users, seconds);
  for (const u of users) await u.host.impair(both(perLink));
  await sleep(2000); // let the congestion controllers see the new link
  const impaired = await measureWindow(users, seconds);
  for (const u of users) await u.host.impair(clear);
  return { clean, impaired };
}

export const benchmark: Benchmark = {
  id: 'network-faults',
  title: 'Network faults',
  async run(ctx): Promise<BenchResult> {
    const base = { id: 'network-faults', title: 'Network faults', command: benchCommand('network-faults', ctx.mode), charts: [] };
    const unavailable = rigUnavailable();
    if (unavailable) {
      return { ...base, summary: `Not run: the rig ${unavailable}.`, goalMet: null, tables: [] };
    }
    const { windowS, room, readdress } = plan[ctx.mode];
    const linkRows: (string | number)[][] = [];
    const recoveryRows: (string | number)[][] = [];
    const recoveries: (number | null)[] = [];
    let keptDecoding = true;
    let readdressTimeline: string[] = [];
    const addLinkRows = (what: string, r: { clean: WindowFigures; impaired: WindowFigures }) => {
      for (const [link, f] of [['clean', r.clean], ['5 % loss, 200 ms RTT', r.impaired]] as const) {
        linkRows.push([what, link, fmt(f.fps), fmt(f.freezesPerMin, 2), fmt(f.freezeSecondsPerMin, 2), fmt(f.droppedPerMin)]);
      }
      keptDecoding &&= r.impaired.fps > 5;
    };

    // 1:1 call between two test hosts.
    let rig = await startRig(2, ctx.log);
    try {
      const [a, b] = rig.users as [RigUser, RigUser];
      await startCall(a, b);
      await waitDecoding([a.page, b.page], 1);
      ctx.log('1:1 call decoding on both sides');
      addLinkRows('1:1 call', await impairedWindows([a, b], { delay_ms: 50, loss_pct: 2.5 }, windowS));
      const blackhole = await blackholeRecovery([a, b], a);
      recoveries.push(blackhole);
      recoveryRows.push(['1:1 call', `${BLACKHOLE_S} s UDP blackhole on one party`, recoveryText(blackhole)]);
      if (readdress) {
        await waitDecoding([a.page, b.page], 1);
        const t0 = Date.now();
        const address = await a.host.readdress();
        const moved = await timeToFlow([a, b], t0, false);
        recoveries.push(moved);
        recoveryRows.push(['1:1 call', `one party changes address (now ${address})`, recoveryText(moved)]);
        readdressTimeline = [
          `Where the address change's time goes (the moved party's page, from the change): ${(await timeline(a, t0)).join('; ')}.`,
          `The other party's page: ${(await timeline(b, t0)).join('; ')}.`,
        ];
      }
    } finally {
      await rig.close();
    }

    if (room) {
      rig = await startRig(3, ctx.log);
      try {
        const users = rig.users;
        await startRoom(users);
        await waitDecoding(users.map((u) => u.page), 2);
        ctx.log('room: everyone decodes the two others');
        addLinkRows('3-person room', await impairedWindows(users, { delay_ms: 100, loss_pct: 5 }, windowS));
        const victim = users[2]!;
        const blackhole = await blackholeRecovery(users, victim);
        recoveries.push(blackhole);
        recoveryRows.push(['3-person room', `${BLACKHOLE_S} s UDP blackhole on one participant`, recoveryText(blackhole)]);
      } finally {
        await rig.close();
      }
    }

    const recovered = recoveries.every((r) => r !== null && r <= RECOVERY_GOAL_S);
    const goalMet = keptDecoding && recovered;
    const tables: BenchTable[] = [
      {
        columns: ['session', 'link', 'frames decoded/s per stream', 'freezes/min', 'freeze s/min', 'frames dropped/min'],
        rows: linkRows,
      },
      { columns: ['session', 'fault', 'link-up → fresh frames everywhere'], rows: recoveryRows },
    ];
    return {
      ...base,
      summary:
        `Real Chromium in network namespaces behind a userspace link emulator (this kernel has no sch_netem), ${windowS} s per window. ` +
        `Under 5 % loss and 200 ms RTT media ${keptDecoding ? 'kept' : 'did not keep'} decoding; after each fault media came back ` +
        `${recovered ? `within ${RECOVERY_GOAL_S} s` : `— not always within ${RECOVERY_GOAL_S} s`} (${recoveryRows.map((r) => `${r[1]}: ${r[2]}`).join('; ')}). ` +
        `Goal ${goalMet ? 'met' : 'missed'}.`,
      goalMet,
      tables,
      notes: [
        'Per-minute figures are per inbound video stream (a 1:1 call has two, a 3-person room six), summed over every receiver. The fake camera sends about 20 frames/s. The three browsers, the server, its SFU workers and the link emulators share 2 cores, so the room figures include CPU contention (dropped frames on the clean link).',
        ...readdressTimeline,
      ],
    };
  },
};
