/**
 * Where the fan-out goes. Thousands of consumers at ~150 packets/s each would swamp any user-space
 * receiver on a 2-core machine (it would drop packets and steal the CPU the worker is being measured
 * on). So the bulk of the consumers send into a network namespace of our own, over a veth pair, where
 * nftables counts and drops the packets in the kernel: exact counts, no user-space cost. RTCP is
 * multiplexed with RTP (as with browsers) and told apart by its packet type byte (200–207, which no
 * RTP payload type of ours reaches, marker bit included).
 *
 * Without root (or without nft) it falls back to counting in this process on loopback, which is
 * fine for the tiny smoke size run inside `npm test`.
 */
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';

export interface Sink {
  kind: 'netns' | 'loopback';
  /** The worker's listen address for consumers, and the destination they send to. */
  listenIp: string;
  destIp: string;
  port: number;
  counters(): { rtp: number; rtcp: number };
  close(): void;
}

const sh = (cmd: string, args: string[], input?: string) =>
  execFileSync(cmd, args, { input, stdio: ['pipe', 'pipe', 'pipe'], encoding: 'utf8' });

function canUseNetns(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    sh('nft', ['--version']);
    sh('ip', ['-V']);
    return true;
  } catch {
    return false;
  }
}

export async function openSink(): Promise<Sink> {
  return canUseNetns() ? netnsSink() : loopbackSink();
}

function netnsSink(): Sink {
  const tag = `cb${process.pid % 100000}`;
  const ns = `confab-bench-${tag}`;
  const host = `${tag}h`;
  const peer = `${tag}n`;
  // 10.213.x.y: a private /30 that nothing else on this machine uses.
  const hostIp = '10.213.0.1';
  const nsIp = '10.213.0.2';
  const inNs = (...args: string[]) => sh('ip', ['netns', 'exec', ns, ...args]);
  try {
    sh('ip', ['netns', 'add', ns]);
    sh('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', peer]);
    sh('ip', ['link', 'set', peer, 'netns', ns]);
    sh('ip', ['addr', 'add', `${hostIp}/30`, 'dev', host]);
    sh('ip', ['link', 'set', host, 'up']);
    inNs('ip', 'addr', 'add', `${nsIp}/30`, 'dev', peer);
    inNs('ip', 'link', 'set', peer, 'up');
    inNs('ip', 'link', 'set', 'lo', 'up');
    sh(
      'ip',
      ['netns', 'exec', ns, 'nft', '-f', '-'],
      `table inet bench {
         chain input {
           type filter hook input priority 0; policy accept;
           udp dport 20000 @th,72,8 200-207 counter drop comment "rtcp"
           udp dport 20000 counter drop comment "rtp"
         }
       }`,
    );
  } catch (err) {
    try {
      sh('ip', ['netns', 'del', ns]);
    } catch {
      /* never created */
    }
    throw err;
  }
  const read = () => {
    const json = JSON.parse(inNs('nft', '-j', 'list', 'table', 'inet', 'bench')) as {
      nftables: Array<{ rule?: { comment?: string; expr: Array<{ counter?: { packets: number } }> } }>;
    };
    const count = (comment: string) =>
      json.nftables.find((e) => e.rule?.comment === comment)?.rule?.expr.find((x) => x.counter)?.counter?.packets ?? 0;
    return { rtp: count('rtp'), rtcp: count('rtcp') };
  };
  return {
    kind: 'netns',
    listenIp: hostIp,
    destIp: nsIp,
    port: 20000,
    counters: read,
    close() {
      try {
        sh('ip', ['netns', 'del', ns]); // takes the veth pair with it
      } catch {
        /* already gone */
      }
    },
  };
}

async function loopbackSink(): Promise<Sink> {
  const counts = { rtp: 0, rtcp: 0 };
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024 });
  socket.on('message', (msg) => {
    const type = msg[1] ?? 0;
    if (type >= 200 && type <= 207) counts.rtcp++;
    else counts.rtp++;
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    kind: 'loopback',
    listenIp: '127.0.0.1',
    destIp: '127.0.0.1',
    port: socket.address().port,
    counters: () => ({ ...counts }),
    close: () => socket.close(),
  };
}
