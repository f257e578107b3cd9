#!/usr/bin/env node
// The `twinembed` executable.
import { main } from './main.js';
import { settleTemporariesOnSignals } from './signal-cleanup.js';

// A closed pipe (`twinembed search … | head`) ends the output, not with an EPIPE stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

settleTemporariesOnSignals();
process.exitCode = await main(process.argv.slice(2));
