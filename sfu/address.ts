/**
 * Which address the SFU gives browsers when nobody said: the machine's primary interface (the one
 * the default route leaves by), not loopback. Chromium pairs with a 127.0.0.1 candidate, Firefox
 * does not (it never uses loopback ICE candidates), so a loopback default would leave Firefox users
 * of the embedded set-up in a room with no media at all.
 *
 * Loopback remains the fallback of a machine with no network, and the explicit choice
 * (SFU_LISTEN_IP=127.0.0.1) of tests, which must not touch any other address.
 */
import fs from 'node:fs';
import os from 'node:os';

export interface PickedAddress {
  ip: string;
  /** Where it came from, for the start-up log line. */
  source: string;
}

type Interfaces = ReturnType<typeof os.networkInterfaces>;

/**
 * The interface of the IPv4 default route in /proc/net/route's text (columns: Iface Destination
 * Gateway Flags …; the default route has destination 00000000, and the lowest metric wins).
 */
export function defaultRouteInterface(procNetRoute: string): string | null {
  let best: { iface: string; metric: number } | null = null;
  for (const line of procNetRoute.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 7 || cols[1] !== '00000000') continue;
    const flags = parseInt(cols[3]!, 16);
    if (!(flags & 0x1)) continue; // RTF_UP
    const metric = Number(cols[6]);
    if (!best || metric < best.metric) best = { iface: cols[0]!, metric };
  }
  return best?.iface ?? null;
}

const usableV4 = (addrs: Interfaces[string]) =>
  (addrs ?? []).find((a) => a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.'));

/**
 * Container bridges, veth pairs and VPN tunnels: other machines on the LAN cannot reach their
 * addresses (and a full-tunnel VPN's default route is not the LAN's), so they come last.
 */
const VIRTUAL = /^(docker|br-|veth|virbr|vmnet|vboxnet|tun|tap|wg|tailscale|zt|cxb)/;

/**
 * The primary interface's IPv4 address, else any other non-loopback IPv4 address (physical
 * interfaces before virtual ones), else loopback.
 */
export function pickListenAddress(interfaces: Interfaces, routeIface: string | null): PickedAddress {
  if (routeIface && !VIRTUAL.test(routeIface)) {
    const a = usableV4(interfaces[routeIface]);
    if (a) return { ip: a.address, source: `the default route's interface ${routeIface}` };
  }
  const names = Object.keys(interfaces).sort((a, b) => Number(VIRTUAL.test(a)) - Number(VIRTUAL.test(b)) || a.localeCompare(b));
  for (const name of names) {
    const a = usableV4(interfaces[name]);
    if (a) return { ip: a.address, source: `interface ${name}${routeIface ? ` (the default route is on ${routeIface})` : ' (no default route)'}` };
  }
  return { ip: '127.0.0.1', source: 'loopback: this machine has no other IPv4 address' };
}

export function pickSystemListenAddress(): PickedAddress {
  let routes = '';
  try {
    routes = fs.readFileSync('/proc/net/route', 'utf8');
  } catch {
    // not Linux: fall back to the first non-loopback interface
  }
  return pickListenAddress(os.networkInterfaces(), defaultRouteInterface(routes));
}
