// The demo's worker: embedding and fine-tuning run here, off the page's main thread, so drawing
// and the loss plot stay responsive; the page talks to it through createWorkerClient.
import { serveWorker } from '@twinembed/web';

serveWorker();
