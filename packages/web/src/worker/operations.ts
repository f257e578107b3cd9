// The operations behind both clients: a worker serves them with serveWorker(), and
// createLocalClient() calls them in the page. One set of handles per instance.
import { classifierOperations } from './classifier-operations.js';
import { embedOperations } from './embed-operations.js';
import { Handles } from './handles.js';
import { indexOperations } from './index-operations.js';
import type { Operations } from './protocol.js';
import { trainOperations } from './train-operations.js';

export function createOperations(): Operations {
  const handles = new Handles();
  return {
    ...embedOperations(handles),
    ...indexOperations(handles),
    ...classifierOperations(handles),
    ...trainOperations(handles),
    async dispose({ handle }) {
      const item = handles.take(handle);
      if (item.kind === 'embedder') await item.value.dispose();
      if (item.kind === 'trainer') await item.value.trainer.release();
    },
  };
}
