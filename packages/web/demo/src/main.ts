// The demo page: starts the twinembed worker, loads the default image model from this origin, then
// mounts the three panels (one-shot drawing, in-page fine-tuning, text search with the default text model).
import { createWorkerClient } from '@twinembed/web';
import { byId } from './dom.js';
import { mountFineTunePanel } from './fine-tune-panel.js';
import { createGallery } from './gallery.js';
import { fetchImageModelFiles, openImageModel, type ImageModel } from './image-model.js';
import { mountOneShotPanel } from './one-shot-panel.js';
import { describeProvider, providerChoice, runtimeOptions, trainingRuntimeOptions, type ProviderChoice } from './runtime-options.js';
import { mountTextSearchPanel } from './text-search-panel.js';
import './style.css';

/** Written by scripts/demo-web-prepare.ts: where the image model came from. */
interface DemoModelInfo {
  source: string;
  note: string;
}

function mountProviderChoice(): { choice: ProviderChoice; runtime: ReturnType<typeof runtimeOptions> } {
  const choice = providerChoice();
  const select = byId('provider', HTMLSelectElement);
  select.value = choice;
  select.addEventListener('change', () => {
    location.search = `?ep=${select.value}`;
  });
  const runtime = runtimeOptions(choice);
  byId('runtime-info', HTMLSpanElement).textContent = `onnxruntime-web in a worker · wasm threads: ${runtime.numThreads}${crossOriginIsolated ? '' : ' (page not cross-origin isolated)'}`;
  return { choice, runtime };
}

async function start(): Promise<void> {
  const status = byId('model-status', HTMLParagraphElement);
  const { choice, runtime } = mountProviderChoice();
  const client = createWorkerClient(new Worker(new URL('./twinembed-worker.ts', import.meta.url), { type: 'module' }));
  const info = (await (await fetch('demo-model.json')).json()) as DemoModelInfo;
  let model: ImageModel = await openImageModel(client, await fetchImageModelFiles('models/omniglot'), runtime);
  const describe = (what: string) => `Image model: ${what} · ${model.info.dim}-d embeddings of ${model.size}×${model.size} drawings · runs on ${describeProvider(model.info)}`;
  status.textContent = describe(info.note);
  document.body.dataset.imageModel = info.source;

  const gallery = await createGallery(client, model);
  mountOneShotPanel(gallery, () => model);
  mountFineTunePanel({
    client, runtime, gallery,
    training: trainingRuntimeOptions(choice, runtime),
    currentModel: () => model,
    async useModel(next) {
      await gallery.useModel(next);
      const old = model;
      model = next;
      status.textContent = describe(`${info.note}, fine-tuned in this page`);
      await old.dispose();
    },
  });
  mountTextSearchPanel(client, runtime);
  document.body.dataset.model = 'ready';
}

start().catch((error: Error) => {
  document.body.dataset.model = 'error';
  const status = document.getElementById('model-status');
  if (status) {
    status.textContent = `Could not start: ${error.message}`;
    status.classList.add('error');
  }
  console.error(error);
});
