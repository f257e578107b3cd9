// The main job (`pnpm demo`): embed the 300 sentences of examples/corpus.jsonl with the default text
// model, offline, build an HNSW index over them, and answer a few queries with their nearest
// sentences. It also measures how often a sentence's nearest neighbour shares its topic.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createIndex, loadEmbedder, readJsonlTexts, resolveModel, saveIndex, type VectorIndex } from '@twinembed/node';

const CORPUS = fileURLToPath(new URL('../examples/corpus.jsonl', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../.tmp/demo/', import.meta.url));
const QUERIES = [
  'What should I cook for dinner tonight?',
  'Will it be stormy this weekend?',
  'My laptop keeps freezing.',
  'How do I keep my investments safe?',
  'The kids are learning about planets and stars.',
];
const K = 3;

/** The topic of an id such as "cooking-07". */
const topicOf = (id: string | number) => String(id).replace(/-\d+$/, '');

/** Share of sentences whose nearest other sentence has the same topic (leave-one-out, cosine). */
function neighbourTopicAgreement(index: VectorIndex, ids: string[], vectors: Float32Array): number {
  const found = index.searchBatch(vectors, 2);
  let same = 0;
  found.forEach((result, i) => {
    const nearest = result.ids.find((id) => id !== ids[i]);
    if (nearest !== undefined && topicOf(nearest) === topicOf(ids[i]!)) same++;
  });
  return same / ids.length;
}

async function answer(embedder: Awaited<ReturnType<typeof loadEmbedder>>, index: VectorIndex, texts: Map<string, string>): Promise<void> {
  const queries = await embedder.embedMatrix(QUERIES);
  index.searchBatch(queries, K).forEach((result, q) => {
    console.log(`\n"${QUERIES[q]}"`);
    result.ids.forEach((id, j) => console.log(`  ${j + 1}. ${texts.get(String(id))}  [${id}, cosine distance ${result.distances[j]!.toFixed(3)}]`));
  });
}

async function run(): Promise<void> {
  const started = performance.now();
  const embedder = await loadEmbedder(); // the default text model: @twinembed/models/text
  const loaded = performance.now();
  console.log(`default text model: ${resolveModel()} (${embedder.dim}-d), loaded in ${((loaded - started) / 1000).toFixed(2)} s`);
  const { texts, ids } = await readJsonlTexts(CORPUS);
  const vectors = await embedder.embedMatrix(texts);
  const embedded = performance.now();
  const seconds = (embedded - loaded) / 1000;
  console.log(`embedded ${texts.length} sentences of examples/corpus.jsonl in ${seconds.toFixed(2)} s (${Math.round(texts.length / seconds)} sentences/s, CPU)`);

  const index = createIndex({ backend: 'hnsw', dim: embedder.dim, metric: 'cosine', capacity: texts.length });
  index.add(ids, vectors);
  await mkdir(OUT_DIR, { recursive: true });
  await saveIndex(index, join(OUT_DIR, 'corpus.twinembed'));
  console.log(`HNSW index of ${index.size} vectors saved to .tmp/demo/corpus.twinembed`);
  const agreement = neighbourTopicAgreement(index, ids.map(String), vectors);
  console.log(`nearest neighbour shares the sentence's topic for ${(100 * agreement).toFixed(1)}% of the corpus (12 topics, chance ≈ 8%)`);

  await answer(embedder, index, new Map(ids.map((id, i) => [String(id), texts[i]!])));
  await embedder.dispose();
  console.log('\nThe same from the CLI: pnpm twinembed index build --model text --input examples/corpus.jsonl --out .tmp/corpus');
  console.log('                       pnpm twinembed search --index .tmp/corpus --query "Will it be stormy this weekend?" -k 3');
}

await run();
