// Ctrl-C (SIGINT), SIGTERM or SIGHUP during a write: settle the temporaries this process holds (the
// previous output stays or comes back), then die of the same signal, as without a handler.
import { settleHeldSync } from '../temporary-paths.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Installs the handlers once, for the twinembed executable (never for library users). */
export function settleTemporariesOnSignals(): void {
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      settleHeldSync();
      // every handler off, so the signal raised again takes its default action (exit 128 + n)
      for (const s of SIGNALS) process.removeAllListeners(s);
      process.kill(process.pid, signal);
    });
  }
}
