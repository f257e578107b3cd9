// A scratch workspace of inputs for the --out guard and kill tests: the fixture BERT as a model folder,
// triplets, a tiny image folder, vectors, texts, and a folder of the user's own.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy } from '../../packages/node/src/vectors-file.js';
import { writeGlyphFolder } from './glyph-folder.js';
import { sharedPath } from './paths.js';
import { randomUnitVectors } from './vector-data.js';

export interface Workspace {
  root: string; model: string; data: string; images: string; vectors: string; texts: string; mine: string;
}

const TRIPLETS = [
  { anchor: 'a cat sits on the mat', positive: 'a cat is sitting', negative: 'stocks fell sharply' },
  { anchor: 'a man plays guitar', positive: 'someone plays music', negative: 'the bus is late' },
  { anchor: 'children play football', positive: 'kids play a game', negative: 'the oven is hot' },
  { anchor: 'it is raining today', positive: 'the weather is wet', negative: 'a dog barks' },
];

/** Fills `root` with the inputs; `vectorCount` rows of dim 16 in vectors.npy. */
export function makeWorkspace(root: string, vectorCount = 200): Workspace {
  const model = join(root, 'model');
  mkdirSync(join(model, 'hf'), { recursive: true });
  copyFileSync(sharedPath('fixtures', 'bert-tiny-a', 'model.dynamo.onnx'), join(model, 'model.onnx'));
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(sharedPath('fixtures', 'bert-tiny-a', 'hf', f), join(model, 'hf', f));
  writeFileSync(join(model, 'twinembed.json'), JSON.stringify({ tokenizer: 'hf', pooling: 'mean', normalize: false }));
  mkdirSync(join(root, 'data'));
  const data = join(root, 'data', 'train.jsonl');
  writeFileSync(data, `${TRIPLETS.map((t) => JSON.stringify(t)).join('\n')}\n`);
  const texts = join(root, 'data', 'docs.jsonl');
  writeFileSync(texts, `${TRIPLETS.map((t, i) => JSON.stringify({ id: `d${i}`, text: t.anchor })).join('\n')}\n`);
  const images = writeGlyphFolder(join(root, 'images'), 4, 3, 1);
  const vectors = join(root, 'vectors.npy');
  writeFileSync(vectors, encodeNpy({ count: vectorCount, dim: 16, vectors: randomUnitVectors(vectorCount, 16, 3) }));
  const mine = join(root, 'mine');
  mkdirSync(join(mine, 'photos'), { recursive: true });
  writeFileSync(join(mine, 'notes.txt'), 'my own notes');
  return { root, model, data, images, vectors, texts, mine };
}

/** Arguments of a one-step finetune on the workspace (add --out). */
export const finetuneArgs = (w: Workspace) => ['finetune', '--model', w.model, '--data', w.data, '--loss', 'TripletLoss', '--optimizer', 'sgd', '--steps', '1', '--batch-size', '2'];

/** Arguments of a two-step train on the workspace's image folder (add --out). */
export const trainArgs = (w: Workspace, steps = 2) => [
  'train', '--data', w.images, '--quick', '--size', '16', '--ways', '2', '--m-per-class', '2', '--val-ways', '2', '--val-classes', '2',
  '--steps', String(steps), '--validate-every', String(steps), '--val-episodes', '4',
];
