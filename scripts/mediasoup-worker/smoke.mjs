// Smoke test of a mediasoup-worker binary: real VP8 media through one worker and, via pipeToRouter,
// through a second one.  Needs mediasoup resolvable from the cwd and Debian's ffmpeg (deps.sh).
//   MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup-worker/ensure.mjs) node_modules/.bin/node scripts/mediasoup-worker/smoke.mjs
//
//   ffmpeg VP8 --RTP--> PlainTransport --> router1 (worker1) --consumer--> PlainTransport --> UDP sink 1
//                                             └── pipeToRouter --> router2 (worker2) --consumer--> PlainTransport --> UDP sink 2
// Exits 0 only if both sinks received at least MIN_PACKETS RTP packets of their consumer's SSRC.
// Not covered: ICE/DTLS (no browser here); the WebRtcTransport is only created.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SECONDS = Number(process.env.SMOKE_SECONDS || 4);
const MIN_PACKETS = 20;
const LOCAL = { protocol: 'udp', ip: '127.0.0.1' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fail = (msg) => {
	console.error(`smoke: FAIL: ${msg}`);
	process.exit(1);
};

if (!process.env.MEDIASOUP_WORKER_BIN) fail('set MEDIASOUP_WORKER_BIN (mediasoup reads it when imported)');
// Dynamic import, resolved from the cwd (not from this file): mediasoup loads only after the check above,
// and the script can test any install, e.g. a scratch dir.
const mediasoup = await import(pathToFileURL(createRequire(path.join(process.cwd(), 'x.js')).resolve('mediasoup')).href);
setTimeout(() => fail(`timed out after ${SECONDS + 30} s`), (SECONDS + 30) * 1000).unref();
console.log(`smoke: node ${process.version}, mediasoup ${mediasoup.version}, worker ${process.env.MEDIASOUP_WORKER_BIN}`);

/** A UDP socket that counts RTP packets per SSRC (RTCP: second byte 200-207, skipped). */
async function udpSink() {
	const sock = dgram.createSocket('udp4');
	const bySsrc = new Map();
	sock.on('message', (m) => {
		if (m.length < 12 || m[0] >> 6 !== 2) return;
		if (m[1] >= 200 && m[1] <= 207) return;
		const ssrc = m.readUInt32BE(8);
		bySsrc.set(ssrc, (bySsrc.get(ssrc) ?? 0) + 1);
	});
	await new Promise((r) => sock.bind(0, '127.0.0.1', r));
	return { sock, port: sock.address().port, count: (ssrc) => bySsrc.get(ssrc) ?? 0 };
}

/** A PlainTransport on `router` that sends `producerId` as plain RTP to a new UDP sink. */
async function consumeToSink(router, producerId) {
	const sink = await udpSink();
	const transport = await router.createPlainTransport({ listenInfo: LOCAL, rtcpMux: true, comedia: false });
	await transport.connect({ ip: '127.0.0.1', port: sink.port });
	const consumer = await transport.consume({ producerId, rtpCapabilities: router.rtpCapabilities });
	return { sink, packets: () => sink.count(consumer.rtpParameters.encodings[0].ssrc) };
}

const workers = [];
for (let i = 0; i < 2; i++) {
	const w = await mediasoup.createWorker({ logLevel: 'warn' });
	w.on('died', (err) => fail(`worker ${w.pid} died: ${err?.message ?? err}`));
	workers.push(w);
}
const mediaCodecs = [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }];
const [router1, router2] = await Promise.all(workers.map((w) => w.createRouter({ mediaCodecs })));

// WebRtcTransport: allocates ICE candidates and a DTLS certificate/fingerprint in the worker.
const webrtc = await router1.createWebRtcTransport({ listenInfos: [LOCAL] });
if (!webrtc.iceCandidates.length || !webrtc.dtlsParameters.fingerprints.length) fail('WebRtcTransport incomplete');
console.log(`smoke: WebRtcTransport ${webrtc.iceCandidates[0].address}:${webrtc.iceCandidates[0].port}, ` +
	`${webrtc.dtlsParameters.fingerprints.length} DTLS fingerprints`);

// Ingest: ffmpeg sends RTP and RTCP from two ports, hence rtcpMux: false; comedia learns both tuples.
const SSRC = 22222222;
const ingest = await router1.createPlainTransport({ listenInfo: LOCAL, rtcpMux: false, comedia: true });
const producer = await ingest.produce({
	kind: 'video',
	rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc: SSRC }] },
});

const out1 = await consumeToSink(router1, producer.id);
await router1.pipeToRouter({ producerId: producer.id, router: router2 });
const out2 = await consumeToSink(router2, producer.id);

// -g 30: a keyframe every second, since ffmpeg ignores the worker's PLI requests.
const ffmpeg = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re',
	'-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=30', '-t', String(SECONDS),
	'-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '500k', '-g', '30',
	'-ssrc', String(SSRC), '-payload_type', '101', '-f', 'rtp',
	`rtp://127.0.0.1:${ingest.tuple.localPort}?rtcpport=${ingest.rtcpTuple.localPort}&pkt_size=1200`,
], { stdio: ['ignore', 'ignore', 'inherit'] });
const ffmpegExit = await new Promise((resolve) => {
	ffmpeg.on('error', (err) => fail(`cannot run ffmpeg (${err.message}); run scripts/mediasoup-worker/deps.sh`));
	ffmpeg.on('exit', (code, signal) => resolve(signal ?? code));
});
await sleep(500); // let the last packets cross both workers

const [producerStats] = await producer.getStats();
const counts = { producer: producerStats?.packetCount ?? 0, sink1: out1.packets(), sink2: out2.packets() };
console.log(`smoke: ffmpeg exit ${ffmpegExit}; RTP packets: producer ${counts.producer}, ` +
	`sink1 (worker1) ${counts.sink1}, sink2 (worker2 via pipe) ${counts.sink2}`);

for (const w of workers) w.removeAllListeners('died');
for (const w of workers) w.close();
for (const o of [out1, out2]) o.sink.sock.close();

if (ffmpegExit !== 0) fail(`ffmpeg exited with ${ffmpegExit}`);
if (counts.sink1 < MIN_PACKETS || counts.sink2 < MIN_PACKETS) fail(`expected >= ${MIN_PACKETS} packets at each sink`);
console.log('smoke: PASS');
