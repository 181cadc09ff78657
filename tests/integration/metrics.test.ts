/**
 * GET /metrics on a real server with a real SFU node: what it reports (and that it follows live
 * state), and who may read it: loopback only without METRICS_TOKEN, the bearer token with one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomSummary } from '@/lib/protocol';
import type { SfuNode } from '@/sfu/node';
import { ask, sleep, startTestServer, type TestServer } from '../support/server';
import { SFU_TEST_SECRET, startTestSfu } from '../support/sfu';

const TOKEN = 'metrics-token-0123456789abcdef';
let sfu: SfuNode;
let open: TestServer;
let guarded: TestServer;
beforeAll(async () => {
  sfu = await startTestSfu({ SFU_RTC_MIN_PORT: '46400', SFU_RTC_MAX_PORT: '46599' });
  open = await startTestServer({}, { sfu: [{ url: sfu.url, secret: SFU_TEST_SECRET }] });
  guarded = await startTestServer({ METRICS_TOKEN: TOKEN });
});
afterAll(async () => {
  await open?.stop();
  await guarded?.stop();
  await sfu?.close();
});

async function scrape(server: TestServer, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/metrics`, { headers });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    auth: res.headers.get('www-authenticate'),
    body: await res.text(),
  };
}

/** The value of one sample line, e.g. value(body, 'confab_users_online') or with labels. */
function value(body: string, sample: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

describe('/metrics content', () => {
  it('reports users, calls, rooms, peers, producers, consumers, workers, events and errors', async () => {
    const before = await scrape(open);
    expect(before.status).toBe(200);
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(value(before.body, 'confab_users_online')).toBe(0);
    expect(value(before.body, 'confab_rooms_active')).toBe(0);
    expect(before.body).toContain('# HELP confab_socket_events_per_second');
    expect(before.body).toMatch(/^process_cpu_seconds_total /m); // prom-client's default process metrics

    const host = await open.connect(await open.signUp('MetricHost'));
    const guest = await open.connect(await open.signUp('MetricGuest'));
    const created = await ask<{ room: RoomSummary }>(host, 'room:create', { name: 'Measured' });
    if (!created.ok) throw new Error(created.error.message);
    await ask(host, 'room:join', { slug: created.data.room.slug, rtpCapabilities: {} });
    await ask(guest, 'room:join', { slug: created.data.room.slug, rtpCapabilities: {} });
    expect(await ask(host, 'room:capabilities', {})).toMatchObject({ ok: true });
    // Refusals are counted by code; invented event names all land under one label.
    await ask(guest, 'chat:send', { clientId: 'not-a-uuid', text: 'x' });
    await ask(guest, 'no:such-event', {});
    await ask(guest, 'another:invention', {});
    // Failed media connections the pages report; a burst past the limit is refused, not counted.
    await ask(host, 'media:trouble', { scope: 'room', phase: 'connect' });
    await ask(guest, 'media:trouble', { scope: 'call', phase: 'lost' });
    for (let i = 0; i < 5; i++) await ask(host, 'media:trouble', { scope: 'room', phase: 'lost' });
    expect(await ask(host, 'media:trouble', { scope: 'room', phase: 'lost' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });

    await sleep(1100); // the worker CPU figure needs two samples a second apart
    await scrape(open);
    await sleep(1100);
    const after = (await scrape(open)).body;
    expect(value(after, 'confab_users_online')).toBe(2);
    expect(value(after, 'confab_rooms_active')).toBe(1);
    expect(value(after, 'confab_room_peers')).toBe(2);
    expect(value(after, 'confab_sfu_producers')).toBe(0);
    expect(value(after, 'confab_sfu_consumers')).toBe(0);
    expect(value(after, 'confab_calls_active{phase="active"}')).toBe(0);
    expect(value(after, 'confab_sfu_nodes_connected')).toBe(1);
    expect(value(after, 'confab_socket_events_total{event="room:join"}')).toBe(2);
    expect(value(after, 'confab_socket_events_total{event="unknown"}')).toBe(2);
    expect(value(after, 'confab_socket_errors_total{code="BAD_REQUEST"}')).toBe(1);
    expect(value(after, 'confab_socket_errors_total{code="UNKNOWN_EVENT"}')).toBe(2);
    expect(value(after, 'confab_socket_events_per_second')).toBeGreaterThan(0);
    expect(value(after, 'confab_media_failures_total{scope="room",phase="connect"}')).toBe(1);
    expect(value(after, 'confab_media_failures_total{scope="call",phase="lost"}')).toBe(1);
    expect(value(after, 'confab_media_failures_total{scope="room",phase="lost"}')).toBe(3); // the burst is 4
    for (const w of sfu.pool.workers) {
      const labels = `{node="${sfu.url}",pid="${w.worker.pid}"}`;
      expect(value(after, `confab_sfu_worker_cpu_percent${labels}`)).toBeGreaterThanOrEqual(0);
      expect(value(after, `confab_sfu_worker_routers${labels}`)).toBe(w.routers);
      expect(value(after, `confab_sfu_worker_transports${labels}`)).toBe(w.transports);
    }
    expect(sfu.pool.workers.reduce((n, w) => n + w.transports, 0)).toBe(4); // two peers, each joined with both transports
  });
});

describe('/metrics access', () => {
  it('without METRICS_TOKEN: this machine only, never through a proxy', async () => {
    expect((await scrape(open)).status).toBe(200);
    const proxied = await scrape(open, { 'x-forwarded-for': '203.0.113.7' });
    expect(proxied.status).toBe(403);
    expect(proxied.body).toMatch(/localhost only/);
    expect(proxied.body).not.toContain('confab_');
  });

  it('with METRICS_TOKEN: the bearer token is required, from anywhere', async () => {
    const none = await scrape(guarded);
    expect(none.status).toBe(401);
    expect(none.auth).toBe('Bearer realm="confab-metrics"');
    expect(none.body).not.toContain('confab_');
    expect((await scrape(guarded, { authorization: 'Bearer not-the-token' })).status).toBe(401);
    const ok = await scrape(guarded, { authorization: `Bearer ${TOKEN}`, 'x-forwarded-for': '203.0.113.7' });
    expect(ok.status).toBe(200);
    expect(value(ok.body, 'confab_users_online')).toBe(0);
    const post = await fetch(`${guarded.url}/metrics`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(post.status).toBe(405);
  });
});
