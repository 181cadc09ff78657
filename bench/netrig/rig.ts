/**
 * The network-fault rig: test hosts in network namespaces of their own, each linked to this
 * machine's root namespace through a userspace link emulator (link_emulator.py: delay, loss, a UDP
 * blackhole; this kernel has no sch_netem). A browser started with a host's `chromium` wrapper runs
 * inside that namespace, so all its traffic — the page, socket.io, ICE and media — crosses the
 * emulated link.
 *
 *   test host i (netns confab-nf-i)      root namespace
 *   10.251.i.2  ── tun cfn<i> ══ link_emulator.py ══ tun cfr<i> ── 10.251.i.1
 *                                                                   10.251.255.1 (on lo): the server
 *
 * The Confab server under test listens on 10.251.255.1 (web and SFU), which every host routes
 * through its own link. Two hosts reach each other through the root namespace (IP forwarding on),
 * crossing both links: a 1:1 call between them sees both impairments.
 *
 * Only addresses of these private namespaces are used; nothing leaves the machine.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const SERVER_ADDRESS = '10.251.255.1';
const NETNS_PREFIX = 'confab-nf-';

export interface LinkImpairment {
  delay_ms?: number;
  loss_pct?: number;
  udp_blackhole?: boolean;
}

export interface NetHost {
  index: number;
  netns: string;
  /** The host's current address (changes with readdress()). */
  address: string;
  /** An executable that runs Debian's Chromium inside this host's namespace (for Playwright). */
  chromium: string;
  /** Sets the link's impairment, each direction; what is not given stays as it was. */
  impair(change: { up?: LinkImpairment; down?: LinkImpairment }): Promise<void>;
  /** Moves the host to a new address on the same link (a phone that changes network). */
  readdress(): Promise<string>;
  close(): void;
}

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${(r.stderr || r.stdout || String(r.error)).trim()}`);
}

/** Why the rig cannot run here, or null when it can (root, iproute2, /dev/net/tun, python3). */
export function rigUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces and TUN devices)';
  if (!fs.existsSync('/dev/net/tun')) return 'no /dev/net/tun';
  for (const tool of ['ip', 'python3']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is missing`;
  }
  const probe = `${NETNS_PREFIX}probe`;
  spawnSync('ip', ['netns', 'del', probe]);
  const made = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (made.status !== 0) return `cannot create a network namespace: ${made.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return null;
}

/**
 * Puts the server address on the root namespace's loopback and turns IP forwarding on (so hosts
 * can reach each other). Returns the undo.
 */
export function prepareRoot(): () => void {
  const forwarding = fs.readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
  spawnSync('ip', ['addr', 'del', `${SERVER_ADDRESS}/32`, 'dev', 'lo']);
  sh('ip', ['addr', 'add', `${SERVER_ADDRESS}/32`, 'dev', 'lo']);
  fs.writeFileSync('/proc/sys/net/ipv4/ip_forward', '1');
  return () => {
    spawnSync('ip', ['addr', 'del', `${SERVER_ADDRESS}/32`, 'dev', 'lo']);
    fs.writeFileSync('/proc/sys/net/ipv4/ip_forward', forwarding);
  };
}

export async function createNetHost(index: number): Promise<NetHost> {
  if (index < 1 || index > 250) throw new Error('host index must be 1..250');
  const netns = `${NETNS_PREFIX}${index}`;
  const rootTun = `cfr${index}`;
  const nsTun = `cfn${index}`;
  const subnet = `10.251.${index}`;
  spawnSync('ip', ['netns', 'del', netns]); // left over by a run that was killed
  sh('ip', ['netns', 'add', netns]);
  const inNs = (args: string[]) => sh('ip', ['netns', 'exec', netns, ...args]);

  const emulator: ChildProcessWithoutNullStreams = spawn(
    'python3',
    [path.join(import.meta.dirname, 'link_emulator.py'), netns, rootTun, nsTun],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  emulator.stderr.on('data', (c) => (stderr += c));
  const lines = createInterface({ input: emulator.stdout });
  const replies: ((line: string | Error) => void)[] = [];
  lines.on('line', (line) => replies.shift()?.(line));
  emulator.once('exit', (code) => {
    for (const reply of replies.splice(0)) reply(new Error(`link emulator exited ${code}: ${stderr}`));
  });
  const nextLine = (what: string) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`link emulator: no ${what} within 5 s ${stderr}`)), 5000);
      replies.push((line) => {
        clearTimeout(timer);
        if (line instanceof Error) reject(line);
        else resolve(line);
      });
    });
  await nextLine('ready');

  sh('ip', ['addr', 'add', `${subnet}.1/24`, 'dev', rootTun]);
  sh('ip', ['link', 'set', rootTun, 'up']);
  inNs(['ip', 'link', 'set', 'lo', 'up']);
  inNs(['ip', 'addr', 'add', `${subnet}.2/24`, 'dev', nsTun]);
  inNs(['ip', 'link', 'set', nsTun, 'up']);
  inNs(['ip', 'route', 'add', 'default', 'dev', nsTun]);

  const chromium = path.join(os.tmpdir(), `confab-chromium-${netns}.sh`);
  fs.writeFileSync(chromium, `#!/bin/sh\nexec ip netns exec ${netns} ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} "$@"\n`, { mode: 0o755 });

  let address = `${subnet}.2`;
  let moves = 0;
  return {
    index,
    netns,
    get address() {
      return address;
    },
    chromium,
    async impair(change) {
      const reply = nextLine('reply');
      emulator.stdin.write(`${JSON.stringify(change)}\n`);
      await reply;
    },
    async readdress() {
      const next = `${subnet}.${3 + (++moves % 200)}`;
      // Old address gone first (deleting a primary address would take its secondaries along),
      // then the new one, and the default route again (it went with the old address).
      inNs(['ip', 'addr', 'del', `${address}/24`, 'dev', nsTun]);
      inNs(['ip', 'addr', 'add', `${next}/24`, 'dev', nsTun]);
      inNs(['ip', 'route', 'replace', 'default', 'dev', nsTun]);
      address = next;
      return next;
    },
    close() {
      emulator.stdin.end();
      emulator.kill('SIGTERM');
      spawnSync('ip', ['netns', 'del', netns]);
      fs.rmSync(chromium, { force: true });
    },
  };
}
