/**
 * Where a call's video starts. Chrome begins a new connection's bandwidth estimate at 300 kbps,
 * too little for a 720p camera: its encoder then drops the first frames while it scales the
 * resolution down step by step, and the first picture arrives ~150 ms after the connection is up
 * (bench/call-setup.ts). Chrome takes a starting estimate from the `x-google-start-bitrate` codec
 * parameter of the remote description, so we add one there; congestion control still corrects it
 * within a second or two on a slower link. Other browsers ignore the parameter.
 */

/** Starting estimate for video, in kbps: enough for 720p's first frames. */
export const VIDEO_START_KBPS = 1000;

/** Retransmission and error-correction formats, which are not codecs of their own. */
const REPAIR = /^(rtx|red|ulpfec|flexfec-03)$/i;

/** The SDP with `x-google-start-bitrate` on each video codec (in its fmtp line, or a new one), unless already set. */
export function withVideoStartBitrate(sdp: string, kbps = VIDEO_START_KBPS): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  const codecs = new Set<string>(); // payload types of video codecs
  const hasFmtp = new Set<string>();
  forEachVideoLine(lines, (line) => {
    const rtpmap = /^a=rtpmap:(\d+) ([^/]+)\//.exec(line);
    if (rtpmap && !REPAIR.test(rtpmap[2]!)) codecs.add(rtpmap[1]!);
    const fmtp = /^a=fmtp:(\d+) /.exec(line);
    if (fmtp) hasFmtp.add(fmtp[1]!);
  });
  const out: string[] = [];
  let video = false;
  for (const line of lines) {
    if (line.startsWith('m=')) video = line.startsWith('m=video');
    const pt = video ? /^a=(rtpmap|fmtp):(\d+) /.exec(line) : null;
    if (!pt || !codecs.has(pt[2]!)) {
      out.push(line);
    } else if (pt[1] === 'fmtp') {
      out.push(line.includes('x-google-start-bitrate=') ? line : `${line};x-google-start-bitrate=${kbps}`);
    } else {
      out.push(line);
      if (!hasFmtp.has(pt[2]!)) out.push(`a=fmtp:${pt[2]} x-google-start-bitrate=${kbps}`);
    }
  }
  return out.join(eol);
}

function forEachVideoLine(lines: readonly string[], fn: (line: string) => void) {
  let video = false;
  for (const line of lines) {
    if (line.startsWith('m=')) video = line.startsWith('m=video');
    else if (video) fn(line);
  }
}
