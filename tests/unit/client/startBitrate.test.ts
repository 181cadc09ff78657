import { describe, expect, it } from 'vitest';
import { withVideoStartBitrate } from '@/lib/client/p2p/startBitrate';

const sdp = [
  'v=0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98',
  'a=rtpmap:96 VP8/90000',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'a=rtpmap:98 H264/90000',
  'a=fmtp:98 profile-level-id=42e01f',
  'm=video 9 UDP/TLS/RTP/SAVPF 98',
  'a=rtpmap:98 H264/90000',
  '',
].join('\r\n');

describe('video start bitrate', () => {
  it('sets x-google-start-bitrate on each video codec, not on audio or retransmission formats', () => {
    const out = withVideoStartBitrate(sdp, 1000).split('\r\n');
    expect(out).toContain('a=fmtp:96 x-google-start-bitrate=1000'); // VP8 had no fmtp line
    expect(out).toContain('a=fmtp:98 profile-level-id=42e01f;x-google-start-bitrate=1000');
    expect(out).toContain('a=fmtp:97 apt=96');
    expect(out).toContain('a=fmtp:111 minptime=10;useinbandfec=1');
    expect(out.indexOf('a=fmtp:96 x-google-start-bitrate=1000')).toBe(out.indexOf('a=rtpmap:96 VP8/90000') + 1);
  });

  it('treats each video section on its own (a payload type with fmtp in one section may lack it in another)', () => {
    const out = withVideoStartBitrate(sdp, 1000).split('\r\n');
    expect(out.slice(-3)).toEqual(['a=rtpmap:98 H264/90000', 'a=fmtp:98 x-google-start-bitrate=1000', '']);
  });

  it('leaves a value that is already there, and changes nothing twice', () => {
    const once = withVideoStartBitrate(sdp, 1000);
    expect(withVideoStartBitrate(once, 2000)).toBe(once);
  });

  it('keeps an SDP without video as it is', () => {
    const audioOnly = sdp.split('\r\nm=video')[0]!;
    expect(withVideoStartBitrate(audioOnly)).toBe(audioOnly);
  });
});
