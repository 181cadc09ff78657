import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultRouteInterface, pickListenAddress } from '@/sfu/address';

type Interfaces = ReturnType<typeof os.networkInterfaces>;
const v4 = (address: string, internal = false) => ({
  address,
  internal,
  family: 'IPv4' as const,
  netmask: '255.255.255.0',
  mac: '00:00:00:00:00:00',
  cidr: `${address}/24`,
});

const ROUTES = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
eth0\t00000000\t010010AC\t0003\t0\t0\t100\t00000000\t0\t0\t0
eth0\t000010AC\t00000000\t0001\t0\t0\t100\t0000FFFF\t0\t0\t0
`;

describe('the SFU listen address picked by default', () => {
  it('finds the default route with the lowest metric', () => {
    expect(defaultRouteInterface(ROUTES)).toBe('eth0');
    expect(defaultRouteInterface('Iface\tDestination\n')).toBeNull();
    expect(defaultRouteInterface('')).toBeNull();
  });

  it('uses the default route interface, never loopback or link-local', () => {
    const interfaces: Interfaces = {
      lo: [v4('127.0.0.1', true)],
      docker0: [v4('172.17.0.1')],
      eth0: [v4('169.254.3.4'), v4('10.0.0.5')],
    };
    expect(pickListenAddress(interfaces, 'eth0')).toEqual({ ip: '10.0.0.5', source: "the default route's interface eth0" });
  });

  it('prefers a physical interface to a container bridge or a VPN tunnel', () => {
    const interfaces: Interfaces = { docker0: [v4('172.17.0.1')], enp1s0: [v4('192.168.1.9')], wg0: [v4('10.8.0.2')] };
    expect(pickListenAddress(interfaces, null).ip).toBe('192.168.1.9');
    // A full-tunnel VPN owns the default route: the LAN's address is still the one to give.
    expect(pickListenAddress(interfaces, 'wg0').ip).toBe('192.168.1.9');
    // Only virtual ones: better one of them than loopback.
    expect(pickListenAddress({ docker0: [v4('172.17.0.1')] }, null).ip).toBe('172.17.0.1');
  });

  it('falls back to any non-loopback address, then to loopback', () => {
    const interfaces: Interfaces = { lo: [v4('127.0.0.1', true)], enp1s0: [v4('192.168.1.9')] };
    expect(pickListenAddress(interfaces, null).ip).toBe('192.168.1.9');
    expect(pickListenAddress(interfaces, 'wlan0').ip).toBe('192.168.1.9');
    expect(pickListenAddress({ lo: [v4('127.0.0.1', true)] }, null).ip).toBe('127.0.0.1');
  });
});
