/**
 * Reads a V8 .cpuprofile (from bench/lib/serverAgent.ts or `node --cpu-prof`) into the few lines a
 * benchmark note needs: where the busy time went, by package and by function (self time).
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  /** Microseconds since the previous sample. */
  timeDeltas: number[];
}

export interface ProfileShare {
  name: string;
  ms: number;
  /** Share of the busy (non-idle) time, 0–100. */
  pct: number;
}

export interface ProfileSummary {
  wallMs: number;
  busyMs: number;
  byPackage: ProfileShare[];
  byFunction: ProfileShare[];
}

export function summarizeProfile(profile: CpuProfile, top = 8): ProfileSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const selfUs = new Map<number, number>();
  // Sample i lasted until sample i+1: attribute each delta to the sample before it.
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  }
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idle = 0;
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id)!;
    total += us;
    if (frame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    add(byPackage, packageOf(frame), us);
    add(byFunction, functionLabel(frame), us);
  }
  const busy = total - idle;
  const shares = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, pct: busy ? Math.round((us / busy) * 1000) / 10 : 0 }));
  return { wallMs: Math.round(total / 1000), busyMs: Math.round(busy / 1000), byPackage: shares(byPackage), byFunction: shares(byFunction) };
}

/** "socket.io", "ws", "node:net", "Confab (lib/server)", "(garbage collector)"… */
export function packageOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url; // Node's own modules: node:net, node:internal/streams/writable…
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const app = /\/(lib|app|sfu|bench)\/([^/]+)/.exec(url);
  return app ? `Confab ${app[1]}/${app[2]}` : url.replace(/^file:\/\//, '');
}

function functionLabel(frame: CallFrame): string {
  const file = frame.url.split('/').pop() || '';
  const fn = frame.functionName || '(anonymous)';
  return file ? `${fn} (${packageOf(frame)} ${file}:${frame.lineNumber + 1})` : fn;
}

function add(m: Map<string, number>, key: string, us: number) {
  m.set(key, (m.get(key) ?? 0) + us);
}
