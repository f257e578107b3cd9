// The browser tests' page: the whole @twinembed/web API on `window`, and a way to start a worker
// running serveWorker() (worker.ts), as an app would. Tests drive it with page.evaluate.
import * as twinembed from '@twinembed/web';
import type { TestPageGlobals } from '../../support/browser.js';

const globals: TestPageGlobals = {
  twinembed,
  newWorkerClient: () => twinembed.createWorkerClient(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })),
  wasmPaths: new URL('/ort/', location.href).href,
  twinembedReady: true,
};
Object.assign(window, globals);
