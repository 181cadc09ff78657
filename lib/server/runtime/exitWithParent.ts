/**
 * A process started with an IPC channel (the launcher starts the web process and the SFU node that
 * way, and the web process its local SFU node) runs `onParentGone` once its parent is gone, however
 * it went: the kernel closes the channel even after a SIGKILL. Without this, a crashed web process
 * left its SFU node and mediasoup workers running for good.
 */
let parentGone = false;
const waiting: (() => void)[] = [];

// Listen from import time: a parent that dies during a slow start-up is not missed.
if (process.channel) {
  // The channel alone must not keep the process alive.
  process.channel.unref();
  process.once('disconnect', () => {
    parentGone = true;
    for (const fn of waiting.splice(0)) fn();
  });
}

export function exitWithParent(onParentGone: () => void): void {
  if (parentGone) onParentGone();
  else waiting.push(onParentGone);
}
