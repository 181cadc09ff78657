/**
 * TURN for real: Debian's coturn with use-auth-secret, and Confab servers set to
 * ICE_TRANSPORT_POLICY=relay. A 1:1 call decodes through TURN over UDP (the selected candidate pair
 * is a relay one on both sides); a room whose browsers may only use TURN over TCP decodes too; and
 * coturn itself refuses credentials that expired or were minted with the wrong secret.
 */
import { expect, test, type Page } from '@playwright/test';
import { startWebServer, type WebServer } from '../../bench/lib/webServer';
import { iceServersFor } from '../../lib/server/iceServers';
import { startTurnServer, type TestTurnServer } from '../support/coturn';
import { call, decodingVideoStreams, expectMediaFlowing, joinRoom, registerUser } from './fixtures';

let turn: TestTurnServer;
let server: WebServer | undefined;
test.beforeAll(async () => {
  turn = await startTurnServer({ relayPorts: [49200, 49299] });
});
test.afterEach(async () => {
  await server?.stop();
  server = undefined;
});
test.afterAll(async () => {
  await turn?.stop();
});

const log = (msg: string) => console.log(`[server] ${msg}`);
const relayServer = (transports: ('udp' | 'tcp')[]) =>
  startWebServer({
    log,
    env: { TURN_URLS: turn.urls(transports), TURN_SECRET: turn.secret, ICE_TRANSPORT_POLICY: 'relay', PRESENCE_LINGER_MS: '500' },
  });

/** The local candidate of each connected peer connection's selected pair. */
function selectedLocalCandidates(page: Page): Promise<{ type: string; relayProtocol: string | null }[]> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.filter((pc) => pc.connectionState === 'connected');
    const found: { type: string; relayProtocol: string | null }[] = [];
    for (const pc of pcs) {
      const stats = [...(await pc.getStats()).values()] as Array<Record<string, unknown>>;
      const transport = stats.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
      const pair = stats.find((s) => s.id === transport?.selectedCandidatePairId);
      const local = stats.find((s) => s.id === pair?.localCandidateId);
      found.push({ type: String(local?.candidateType), relayProtocol: (local?.relayProtocol as string) ?? null });
    }
    return found;
  });
}

/** Relay candidates that a relay-only peer connection gathers with these ICE servers. */
function relayCandidates(page: Page, iceServers: RTCIceServer[]): Promise<number> {
  return page.evaluate(async (servers) => {
    const pc = new RTCPeerConnection({ iceServers: servers, iceTransportPolicy: 'relay' });
    pc.createDataChannel('probe');
    let relays = 0;
    pc.onicecandidate = (e) => {
      if (e.candidate?.type === 'relay') relays++;
    };
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      pc.onicegatheringstatechange = () => {
        if (pc.iceGatheringState === 'complete') {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    pc.close();
    return relays;
  }, iceServers);
}

test('coturn grants Confab\'s credentials, and refuses expired ones and a wrong secret', async ({ browser }) => {
  const page = await browser.newPage();
  const env = { STUN_URLS: [], TURN_URLS: [turn.urls(['udp'])], TURN_SECRET: turn.secret, TURN_TTL_SECONDS: 600 };
  expect(await relayCandidates(page, iceServersFor('valid-user', env))).toBeGreaterThan(0);
  // Expired an hour ago: minted two hours back with a one-hour lifetime.
  expect(await relayCandidates(page, iceServersFor('late-user', { ...env, TURN_TTL_SECONDS: 3600 }, Date.now() - 2 * 3600_000))).toBe(0);
  expect(await relayCandidates(page, iceServersFor('forger', { ...env, TURN_SECRET: 'not-the-secret' }))).toBe(0);
  // The same coturn, a moment later, still grants fresh credentials: the refusals were about the credentials.
  expect(await relayCandidates(page, iceServersFor('valid-again', env))).toBeGreaterThan(0);
  await page.close();
});

test('a 1:1 call with ICE_TRANSPORT_POLICY=relay decodes through TURN over UDP', async ({ browser }) => {
  test.setTimeout(120_000);
  server = await relayServer(['udp']);
  const alice = await registerUser(browser, 'Alice', server.url);
  const bob = await registerUser(browser, 'Bob', server.url);
  await call(alice, bob);
  await bob.page.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
  await Promise.all([expectMediaFlowing(alice.page, 20_000), expectMediaFlowing(bob.page, 20_000)]);
  for (const user of [alice, bob]) {
    const candidates = await selectedLocalCandidates(user.page);
    console.log(`1:1 over TURN, ${user.name}'s selected local candidates: ${JSON.stringify(candidates)}`);
    expect(candidates).toEqual([{ type: 'relay', relayProtocol: 'udp' }]);
  }
});

test('a room whose browsers may only use TURN over TCP decodes', async ({ browser }) => {
  test.setTimeout(120_000);
  server = await relayServer(['tcp']);
  const alice = await registerUser(browser, 'Alice', server.url);
  const bob = await registerUser(browser, 'Bob', server.url);
  await alice.page.getByLabel('Room name').fill('Relayed');
  await alice.page.getByRole('button', { name: 'Create room' }).click();
  await expect(alice.page).toHaveURL(/\/room\/relayed-[a-z0-9]{4}$/);
  await alice.page.getByRole('button', { name: 'Join' }).click();
  await expect(alice.page.getByTestId('room')).toBeVisible();
  await joinRoom(bob, alice.page.url());
  for (const user of [alice, bob]) {
    await expect.poll(() => decodingVideoStreams(user.page), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    const candidates = await selectedLocalCandidates(user.page);
    console.log(`room over TURN/TCP, ${user.name}'s selected local candidates: ${JSON.stringify(candidates)}`);
    expect(candidates.length).toBe(2); // the send and the receive transport
    for (const c of candidates) expect(c).toEqual({ type: 'relay', relayProtocol: 'tcp' });
  }
});
