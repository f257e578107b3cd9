// Panel 3: semantic search over the lines of a text box, with a text model the user picks as a
// directory (model.onnx, tokenizer.json, …). The files are read in the browser; nothing is uploaded.
import { createIndex, type EmbedderInfo, type TwinembedClient, type VectorIndex, type WebRuntimeOptions } from '@twinembed/web';
import { byId, element, format, onAction } from './dom.js';

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

/** The picked folder's files go to the worker as they are; it reads them as a model directory. */
async function loadTextModel(client: TwinembedClient, runtime: WebRuntimeOptions, files: FileList): Promise<EmbedderInfo> {
  const loaded = await client.loadEmbedder({ model: Array.from(files), runtime });
  if (loaded.modality === 'text') return loaded;
  await client.dispose({ handle: loaded.embedder });
  throw new Error(`Expected a text model, got an ${loaded.modality} model.`);
}

export function mountTextSearchPanel(client: TwinembedClient, runtime: WebRuntimeOptions): void {
  const [picker, documents, query, search] = [byId('text-model', HTMLInputElement), byId('documents', HTMLTextAreaElement), byId('query', HTMLInputElement), byId('search', HTMLButtonElement)];
  const results = byId('text-results', HTMLOListElement);
  const status = byId('text-status', HTMLParagraphElement);
  let model: EmbedderInfo | undefined;
  let indexed: Indexed | undefined;

  picker.addEventListener('change', async () => {
    if (!picker.files || picker.files.length === 0) return;
    status.classList.remove('error');
    status.textContent = 'Loading the text model…';
    try {
      const loaded = await loadTextModel(client, runtime, picker.files);
      if (model) await client.dispose({ handle: model.embedder });
      [model, indexed] = [loaded, undefined];
      [query.disabled, search.disabled] = [false, false];
      const folder = picker.files[0]!.webkitRelativePath.split('/')[0] || 'the picked files';
      status.textContent = `Text model "${folder}" loaded: ${loaded.dim}-d embeddings, runs on ${loaded.executionProvider}.`;
      status.dataset.state = 'ready';
    } catch (error) {
      status.textContent = (error as Error).message;
      status.classList.add('error');
    }
  });

  onAction(search, status, async () => {
    if (!model) throw new Error('Pick a text model directory first.');
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
