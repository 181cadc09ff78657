/**
 * A soft two-tone ring made with WebAudio (no asset to download). Returns a stop function.
 * Browsers may block audio before the first user gesture; then the ring is silent, never an error.
 */
export function startRingtone(): () => void {
  let ctx: AudioContext | null = null;
  try {
    ctx = new AudioContext();
  } catch {
    return () => undefined;
  }
  const audio = ctx;
  const ring = () => {
    const t = audio.currentTime;
    for (const [offset, freq] of [
      [0, 480],
      [0.25, 620],
    ] as const) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t + offset);
      gain.gain.exponentialRampToValueAtTime(0.08, t + offset + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + offset + 0.22);
      osc.connect(gain).connect(audio.destination);
      osc.start(t + offset);
      osc.stop(t + offset + 0.25);
    }
  };
  ring();
  const timer = setInterval(ring, 2000);
  return () => {
    clearInterval(timer);
    void audio.close();
  };
}
