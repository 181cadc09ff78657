/**
 * For room tests: a web process wired to one real SFU node, the router's capabilities standing in
 * for a browser's (mediasoup accepts them for consuming), and signed-in users with a socket each.
 */
import type { SfuNode } from '@/sfu/node';
import { startTestServer, type TestServer, type TestSocket, type TestUser } from './server';
import { SFU_TEST_SECRET, startTestSfu } from './sfu';

export interface RoomServer {
  sfu: SfuNode;
  server: TestServer;
  caps: Record<string, unknown>;
  /** A new user, signed up and connected. */
  user(name: string): Promise<[TestUser, TestSocket]>;
  stop(): Promise<void>;
}

export async function startRoomServer(sfuEnv: Record<string, string>, serverEnv: Record<string, string> = {}): Promise<RoomServer> {
  const sfu = await startTestSfu(sfuEnv);
  const server = await startTestServer(serverEnv, { sfu: [{ url: sfu.url, secret: SFU_TEST_SECRET }] });
  const caps = (await server.sfuClients[0]!.request('node:capabilities', {})).rtpCapabilities;
  let n = 0;
  return {
    sfu,
    server,
    caps,
    async user(name) {
      const u = await server.signUp(`${name}${++n}`);
      return [u, await server.connect(u)];
    },
    async stop() {
      await server.stop();
      await sfu.close();
    },
  };
}
