/**
 * A network namespace of our own, linked to the root namespace by a veth pair:
 *
 *   root namespace                    netns <name>
 *   <rootIface> 10.252.<n>.1/30 ═══ veth ═══ 10.252.<n>.2/30 (the server's address)
 *
 * Whatever runs inside (`ip netns exec`) is "another machine" at a private, non-loopback address:
 * Firefox, which never pairs with loopback ICE candidates, reaches a server there, and its media
 * crosses a real (virtual) link. Only these two private addresses are used; nothing leaves the
 * machine.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface VethNamespace {
  name: string;
  /** The namespace's address: where a server inside it listens. */
  address: string;
  /** The root side's address and interface: what a browser outside uses to reach it. */
  rootAddress: string;
  rootIface: string;
  /** An executable that runs Debian's Chromium inside the namespace (for Playwright). */
  chromium: string;
  close(): void;
}

function sh(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${(r.stderr || r.stdout || String(r.error)).trim()}`);
}

/** Why namespaces cannot be made here, or null when they can (root and iproute2). */
export function vethUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  if (spawnSync('sh', ['-c', 'command -v ip']).status !== 0) return 'iproute2 (ip) is missing';
  return null;
}

/** `n` (1..250) keeps concurrent namespaces apart: it picks the names and the /30. */
export function createVethNamespace(n: number): VethNamespace {
  if (!Number.isInteger(n) || n < 1 || n > 250) throw new Error('namespace number must be 1..250');
  const name = `confab-xb-${n}`;
  const rootIface = `cxb${n}r`;
  const nsIface = `cxb${n}n`;
  const address = `10.252.${n}.2`;
  const rootAddress = `10.252.${n}.1`;
  // Left over by a run that was killed: deleting the namespace deletes its end of the pair, and with it ours.
  spawnSync('ip', ['netns', 'del', name]);
  spawnSync('ip', ['link', 'del', rootIface]);
  sh(['netns', 'add', name]);
  try {
    sh(['link', 'add', rootIface, 'type', 'veth', 'peer', 'name', nsIface]);
    sh(['link', 'set', nsIface, 'netns', name]);
    sh(['addr', 'add', `${rootAddress}/30`, 'dev', rootIface]);
    sh(['link', 'set', rootIface, 'up']);
    const inNs = (args: string[]) => sh(['netns', 'exec', name, 'ip', ...args]);
    inNs(['link', 'set', 'lo', 'up']);
    inNs(['addr', 'add', `${address}/30`, 'dev', nsIface]);
    inNs(['link', 'set', nsIface, 'up']);
    inNs(['route', 'add', 'default', 'via', rootAddress]);
  } catch (err) {
    spawnSync('ip', ['netns', 'del', name]);
    spawnSync('ip', ['link', 'del', rootIface]);
    throw err;
  }
  const chromium = path.join(os.tmpdir(), `confab-chromium-${name}.sh`);
  fs.writeFileSync(chromium, `#!/bin/sh\nexec ip netns exec ${name} ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} "$@"\n`, {
    mode: 0o755,
  });
  return {
    name,
    address,
    rootAddress,
    rootIface,
    chromium,
    close() {
      spawnSync('ip', ['netns', 'del', name]);
      spawnSync('ip', ['link', 'del', rootIface]);
      fs.rmSync(chromium, { force: true });
    },
  };
}
