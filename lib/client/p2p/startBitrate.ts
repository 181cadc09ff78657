/**
 * Where a call's video starts. Chrome begins a new connection's bandwidth estimate at 300 kbps; its
 * pacer then spreads the first 720p key frame over a few hundred ms, and the encoder drops frames
 * while it adapts, so the first picture arrived 100–160 ms after the connection was up
 * (bench/call-setup.ts). Chrome takes a starting estimate from the `x-google-start-bitrate` codec
 * parameter of the remote description, so we add one to each description we apply; congestion
 * control still corrects it within a second or two on a slower link. Other browsers ignore it.
 */

/** Starting estimate for video, in kbps: enough for 720p's first frames. */
export const VIDEO_START_KBPS = 1000;

/** Retransmission and error-correction formats, which are not codecs of their own. */
const REPAIR = /^(rtx|red|ulpfec|flexfec-03)$/i;

/**
 * The SDP with `x-google-start-bitrate` on each video codec of each video section (appended to its
 * fmtp line, or on a new fmtp line right after its rtpmap), unless the codec already has one.
 */
export function withVideoStartBitrate(sdp: string, kbps = VIDEO_START_KBPS): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const sections = splitSections(sdp.split(eol));
  return sections.flatMap((lines) => (lines[0]?.startsWith('m=video') ? videoSection(lines, kbps) : lines)).join(eol);
}

/** The session part, then one array per m= section (each starting with its m= line). */
function splitSections(lines: string[]): string[][] {
  const sections: string[][] = [[]];
  for (const line of lines) {
    if (line.startsWith('m=')) sections.push([]);
    sections.at(-1)!.push(line);
  }
  return sections;
}

function videoSection(lines: string[], kbps: number): string[] {
  const codecs = new Set<string>();
  const withFmtp = new Set<string>();
  for (const line of lines) {
    const rtpmap = /^a=rtpmap:(\d+) ([^/]+)\//.exec(line);
    if (rtpmap && !REPAIR.test(rtpmap[2]!)) codecs.add(rtpmap[1]!);
    const fmtp = /^a=fmtp:(\d+) /.exec(line);
    if (fmtp) withFmtp.add(fmtp[1]!);
  }
  return lines.flatMap((line) => {
    const attr = /^a=(rtpmap|fmtp):(\d+) /.exec(line);
    if (!attr || !codecs.has(attr[2]!)) return [line];
    if (attr[1] === 'fmtp') return [line.includes('x-google-start-bitrate=') ? line : `${line};x-google-start-bitrate=${kbps}`];
    return withFmtp.has(attr[2]!) ? [line] : [line, `a=fmtp:${attr[2]} x-google-start-bitrate=${kbps}`];
  });
}
