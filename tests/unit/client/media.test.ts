import { afterEach, describe, expect, it, vi } from 'vitest';
import { acquireMedia } from '@/lib/client/media';

const fail = (name: string) => Promise.reject(new DOMException('x', name));
const stream = (kinds: string[]) => ({ kinds }) as unknown as MediaStream;

function withGetUserMedia(impl: (c: MediaStreamConstraints) => Promise<MediaStream>) {
  vi.stubGlobal('navigator', { mediaDevices: { getUserMedia: vi.fn(impl) } });
}

afterEach(() => vi.unstubAllGlobals());

describe('acquireMedia fallbacks', () => {
  it('returns camera + mic when both work', async () => {
    withGetUserMedia(async () => stream(['audio', 'video']));
    expect(await acquireMedia()).toMatchObject({ problem: null });
  });

  it('no camera → audio only, explained', async () => {
    withGetUserMedia((c) => (c.video ? fail('NotFoundError') : Promise.resolve(stream(['audio']))));
    const r = await acquireMedia();
    expect(r.stream).toBeTruthy();
    expect(r.problem).toMatchObject({ kind: 'no-camera', title: 'No camera found' });
  });

  it('camera busy elsewhere → audio only, says the camera is in use', async () => {
    withGetUserMedia((c) => (c.video ? fail('NotReadableError') : Promise.resolve(stream(['audio']))));
    expect((await acquireMedia()).problem?.kind).toBe('in-use');
  });

  it('no devices at all → receive-only', async () => {
    withGetUserMedia(() => fail('NotFoundError'));
    expect(await acquireMedia()).toMatchObject({ stream: null, problem: { kind: 'no-devices' } });
  });

  it('permission denied → explains how to allow, and does not retry without asking', async () => {
    withGetUserMedia(() => fail('NotAllowedError'));
    const r = await acquireMedia();
    expect(r).toMatchObject({ stream: null, problem: { kind: 'permission-denied' } });
    expect(r.problem?.detail).toMatch(/address bar/);
    expect(vi.mocked(navigator.mediaDevices.getUserMedia)).toHaveBeenCalledTimes(1);
  });

  it('an insecure page (no mediaDevices) says HTTPS is needed', async () => {
    vi.stubGlobal('navigator', {});
    expect((await acquireMedia()).problem?.kind).toBe('insecure');
  });
});
