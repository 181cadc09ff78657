/**
 * An init script (page.addInitScript / context.addInitScript) that keeps every RTCPeerConnection
 * the page creates in `window.__pcs`, so a test or a benchmark can read their getStats(). Runs in
 * the page (serialised by Playwright): it must not reference anything outside itself.
 */
export function trackPeerConnections() {
  const w = window as unknown as { __pcs: RTCPeerConnection[] };
  w.__pcs = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      w.__pcs.push(this);
    }
  } as typeof RTCPeerConnection;
}
