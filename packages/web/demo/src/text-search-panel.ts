// Panel 3: semantic search over the lines of a text box with the default text model, served by this
// page from its own origin as any app serves @twinembed/models (scripts/demo-web-prepare.ts copies it).
import {
  createIndex, loadModelFromUrl, type EmbedderInfo, type TwinembedClient, type VectorIndex, type WebRuntimeOptions,
} from '@twinembed/web';
import { byId, element, format, onAction } from './dom.js';

const TEXT_MODEL = 'models/text/';
/** The files the prepare script serves for it; the loader's other optional files get a 404 here, with no request. */
const SERVED = ['model.onnx', 'twinembed.json', 'tokenizer.json', 'tokenizer_config.json'];

/** The lines of the text box as they were embedded. */
interface Indexed {
  text: string;
  lines: string[];
  index: VectorIndex;
}

async function embedTexts(client: TwinembedClient, model: EmbedderInfo, texts: string[]): Promise<Float32Array[]> {
  const rows = await client.embed({ embedder: model.embedder, inputs: texts });
  return texts.map((_, i) => rows.subarray(i * model.dim, (i + 1) * model.dim));
}

async function indexLines(client: TwinembedClient, model: EmbedderInfo, text: string): Promise<Indexed> {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) throw new Error('Write a few lines to search first.');
  const index = createIndex({ dim: model.dim, metric: 'cosine', backend: 'flat', capacity: lines.length });
  index.add(lines.map((_, i) => i), await embedTexts(client, model, lines));
  return { text, lines, index };
}

/** The files are read here and handed to the worker, which embeds with them. */
async function loadTextModel(client: TwinembedClient, runtime: WebRuntimeOptions): Promise<EmbedderInfo> {
  const fetchServed = (url: string) => (SERVED.some((f) => url.endsWith(`/${f}`)) ? fetch(url) : Promise.resolve(new Response(null, { status: 404 })));
  const loaded = await client.loadEmbedder({ model: await loadModelFromUrl(TEXT_MODEL, { fetch: fetchServed }), runtime });
  if (loaded.modality === 'text') return loaded;
  await client.dispose({ handle: loaded.embedder });
  throw new Error(`Expected a text model in ${TEXT_MODEL}, got an ${loaded.modality} model.`);
}

export function mountTextSearchPanel(client: TwinembedClient, runtime: WebRuntimeOptions): void {
  const [documents, query, search] = [byId('documents', HTMLTextAreaElement), byId('query', HTMLInputElement), byId('search', HTMLButtonElement)];
  const results = byId('text-results', HTMLOListElement);
  const status = byId('text-status', HTMLParagraphElement);
  let model: EmbedderInfo | undefined;
  let indexed: Indexed | undefined;

  status.textContent = 'Loading the default text model…';
  loadTextModel(client, runtime).then((loaded) => {
    model = loaded;
    [query.disabled, search.disabled] = [false, false];
    status.textContent = `Default text model (models/text) loaded: ${loaded.dim}-d embeddings, runs on ${loaded.executionProvider}.`;
    status.dataset.state = 'ready';
  }, (error: Error) => {
    status.textContent = `Could not load the default text model: ${error.message}`;
    status.classList.add('error');
    console.error(error);
  });

  onAction(search, status, async () => {
    if (!model) throw new Error('The text model is still loading.');
    if (query.value.trim() === '') throw new Error('Type a query first.');
    if (indexed?.text !== documents.value) indexed = await indexLines(client, model, documents.value);
    const [vector] = await embedTexts(client, model, [query.value]);
    const { lines, index } = indexed;
    const { ids, distances } = index.search(vector!, Math.min(5, lines.length));
    results.replaceChildren(...ids.map((id, i) => element('li', `${lines[Number(id)]} — distance ${format(distances[i]!)}`, { 'data-line': String(id), 'data-distance': String(distances[i]) })));
    status.textContent = `${ids.length} nearest lines for "${query.value}".`;
  });
  query.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') search.click();
  });
}
