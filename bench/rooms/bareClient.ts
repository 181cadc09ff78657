/**
 * The baseline's page: mediasoup-client and nothing else. Bundled by esbuild (bench/rooms/bare.ts)
 * and loaded into a blank page. It joins the SFU node through functions the benchmark exposes
 * (page.exposeFunction), which call the node's RPC directly: no web process, no React, no app.
 */
import { Device, type types } from 'mediasoup-client';

type Consumer = { consumerId: string; producerId: string; kind: 'audio' | 'video'; rtpParameters: types.RtpParameters; streamId: string };
type Bench = {
  benchJoin(caps: string): Promise<{ recv: Parameters<Device['createRecvTransport']>[0]; consumers: Consumer[] }>;
  benchConnect(transportId: string, dtls: string): Promise<void>;
  benchResume(consumerId: string): Promise<void>;
};

let device: Device | null = null;
let transport: types.Transport | null = null;

const bare = {
  async load(caps: types.RtpCapabilities) {
    device = await Device.factory();
    await device.load({ routerRtpCapabilities: caps });
  },
  /** Milliseconds from the start of the join to a presented frame on each of the `videos` remote videos. */
  async join(videos: number): Promise<number> {
    const w = window as unknown as Bench;
    const t0 = performance.now();
    const { recv, consumers } = await w.benchJoin(JSON.stringify(device!.rtpCapabilities));
    const t = device!.createRecvTransport(recv);
    transport = t;
    t.on('connect', ({ dtlsParameters }, ok, fail) => void w.benchConnect(t.id, JSON.stringify(dtlsParameters)).then(ok, fail));
    const shown: Promise<void>[] = [];
    await Promise.all(
      consumers.map(async (c) => {
        const consumer = await t.consume({ id: c.consumerId, producerId: c.producerId, kind: c.kind, rtpParameters: c.rtpParameters, streamId: c.streamId });
        await w.benchResume(c.consumerId);
        if (c.kind !== 'video') return;
        const video = document.createElement('video');
        video.muted = true;
        video.autoplay = true;
        video.playsInline = true;
        video.srcObject = new MediaStream([consumer.track]);
        document.body.append(video);
        shown.push(new Promise((resolve) => video.requestVideoFrameCallback(() => resolve())));
      }),
    );
    if (shown.length < videos) throw new Error(`only ${shown.length} of ${videos} videos offered`);
    await Promise.all(shown);
    return performance.now() - t0;
  },
  leave() {
    transport?.close();
    transport = null;
    for (const v of document.querySelectorAll('video')) v.remove();
  },
};

(window as unknown as { bare: typeof bare }).bare = bare;
