// The worker script of the browser tests, as an app writes it: one line.
import { serveWorker } from '@twinembed/web';

serveWorker();
