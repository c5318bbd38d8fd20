// How the processes of the product stop on a signal (the worker, the API, `npm start`).

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Calls `stop` on the first SIGINT, SIGTERM or SIGHUP and ignores the ones after it, for as long
 * as the returned function has not been called. Ctrl-C under `npm start` arrives twice (from the
 * terminal and relayed by tsx); the SDK's own handler goes away after the first, and the second
 * would kill the process before it has stopped what it started.
 */
export function onStopSignal(stop: () => void): () => void {
  let stopping = false;
  const handler = (): void => {
    if (stopping) return;
    stopping = true;
    stop();
  };
  for (const sig of STOP_SIGNALS) process.on(sig, handler);
  return () => {
    for (const sig of STOP_SIGNALS) process.off(sig, handler);
  };
}
