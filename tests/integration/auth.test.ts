import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ SIGNIN_RATE_LIMIT: '3', SIGNIN_ADDRESS_RATE_LIMIT: '1000' });
});
afterAll(() => server.stop());

describe('accounts and the socket handshake', () => {
  it('refuses a socket without a session cookie, or with a forged one', async () => {
    await expect(server.connect(null)).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    await expect(server.connect(null, { cookie: 'better-auth.session_token=forged.value' })).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
  });

  it('accepts a socket with the session cookie from sign-up, as that user', async () => {
    const alice = await server.signUp('Alice');
    const socket = await server.connect(alice);
    expect(socket.connected).toBe(true);
    const [sock] = await server.io.fetchSockets();
    expect(sock?.data.user).toMatchObject({ id: alice.id, name: 'Alice', role: 'user' });
  });

  it('refuses a socket from a foreign Origin even with a valid cookie', async () => {
    const user = await server.signUp('Mallory');
    const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { cookie: user.cookie, origin: 'https://evil.example' },
    });
    // The engine handshake succeeds, but the socket.io CONNECT is refused by the auth middleware.
    const sid = JSON.parse((await res.text()).slice(1)).sid as string;
    await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
      method: 'POST',
      headers: { cookie: user.cookie, origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: '40',
    });
    const reply = await (
      await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
        headers: { cookie: user.cookie, origin: 'https://evil.example' },
      })
    ).text();
    expect(reply).toContain('"code":"FORBIDDEN"');
  });

  it('compares the Origin scheme too: an https page is not this http site', async () => {
    const user = await server.signUp('Schemer');
    await expect(
      server.connect(user, { cookie: user.cookie, origin: server.url.replace('http://', 'https://') }),
    ).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
    await expect(server.connect(user, { origin: server.url })).resolves.toMatchObject({ connected: true });
  });

  it('keeps display names unique regardless of case', async () => {
    await server.signUp('Bobby');
    await expect(server.signUp('BOBBY')).rejects.toThrow(/display name is taken/i);
    await expect(server.signUp('   ')).rejects.toThrow(/400|required/i);
  });

  const signIn = (email: string, password: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ email, password }),
    }).then((r) => r.status);

  it('limits failed sign-ins per account and address, and a parallel burst does not slip through', async () => {
    const carol = await server.signUp('Carol');
    const statuses = await Promise.all(Array.from({ length: 8 }, () => signIn(carol.email, 'wrong-password')));
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    // Locked for this account from this address, even with the right password…
    expect(await signIn(carol.email, 'correct-horse-battery')).toBe(429);
  });

  it('someone guessing another account from the same address does not lock the owner out', async () => {
    const grace = await server.signUp('Grace');
    const heidi = await server.signUp('Heidi');
    for (let i = 0; i < 4; i++) await signIn(heidi.email, 'wrong-password');
    expect(await signIn(grace.email, 'correct-horse-battery')).toBe(200);
    // …and the owner's own success clears their earlier failures.
    expect(await signIn(grace.email, 'nope-nope-1')).toBe(401);
    expect(await signIn(grace.email, 'nope-nope-2')).toBe(401);
    expect(await signIn(grace.email, 'correct-horse-battery')).toBe(200);
    expect(await signIn(grace.email, 'nope-nope-3')).toBe(401);
    expect(await signIn(grace.email, 'nope-nope-4')).toBe(401);
    expect(await signIn(grace.email, 'correct-horse-battery')).toBe(200);
  });

  it('a spoofed X-Forwarded-For is not a way around the limit', async () => {
    const frank = await server.signUp('Frank');
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push(await signIn(frank.email, 'wrong', { 'x-forwarded-for': `198.51.100.${i}` }));
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('stores passwords hashed, never in clear', async () => {
    const dave = await server.signUp('Dave', { password: 'plain-text-password' });
    const account = await server.db.account.findFirst({ where: { userId: dave.id } });
    expect(account?.password).toBeTruthy();
    expect(account?.password).not.toContain('plain-text-password');
  });

  it('seeds the configured admin with the admin role', async () => {
    const admin = await server.db.user.findUnique({ where: { email: 'admin@test.local' } });
    expect(admin?.role).toBe('admin');
  });
});

describe('sign-out', () => {
  it('drops every socket of the session, in every tab', async () => {
    const erin = await server.signUp('Erin');
    const tab1 = await server.connect(erin);
    const tab2 = await server.connect(erin);
    const revoked = new Promise((resolve) => tab2.once('session:revoked', resolve));
    const dropped = new Promise((resolve) => tab1.once('disconnect', resolve));
    const res = await fetch(`${server.url}/api/auth/sign-out`, {
      method: 'POST',
      headers: { cookie: erin.cookie, 'content-type': 'application/json', origin: server.url },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(await revoked).toEqual({ reason: 'You signed out.' });
    await dropped;
    // And the cookie no longer opens a socket.
    await expect(server.connect(erin)).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  });
});
