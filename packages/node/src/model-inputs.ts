// --model as inputs for the output guard (output-path.ts): the files a model folder is read from, not
// the whole folder, so an output may go in a new subfolder of a model (`--out model/tuned`) but never
// over model.onnx, its external data, its tokenizer or configs, nor around them.
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { resolveModelPath } from './model-file.js';
import { FILE_LIMITS, readOptionalText } from './read-regular-file.js';

/** The folders whose files a model folder reads: itself, 1_Pooling, and twinembed.json's model and tokenizer folders. */
async function readFolders(dir: string): Promise<string[]> {
  const folders = [dir, join(dir, '1_Pooling')];
  const manifest = await readOptionalText(join(dir, 'twinembed.json'), { maxBytes: FILE_LIMITS.json }).then((t) => (t === undefined ? undefined : (JSON.parse(t) as unknown)), () => undefined).catch(() => undefined);
  if (typeof manifest === 'object' && manifest !== null) {
    const { model, tokenizer } = manifest as { model?: unknown; tokenizer?: unknown };
    if (typeof model === 'string') folders.push(dirname(join(dir, model)));
    if (typeof tokenizer === 'string') folders.push(join(dir, tokenizer));
  }
  return folders;
}

async function filesIn(folder: string, keep: (name: string) => boolean = () => true): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => !e.isDirectory() && keep(e.name)).map((e) => join(folder, e.name));
}

/**
 * The paths `--model` reads: for a folder, every file directly in it and in the folders it reads,
 * plus `model.onnx` (an .onnx written there would change which model the folder loads); for a file,
 * the file and its siblings that extend its name (external data: model.onnx.data, model.onnx_data).
 */
export async function modelInputs(model: string | undefined): Promise<string[]> {
  if (model === undefined) return [];
  if (!(await stat(model).catch(() => undefined))?.isDirectory()) {
    return [model, ...(await filesIn(dirname(model), (name) => name.startsWith(basename(model))))];
  }
  const file = await resolveModelPath(model).catch(() => undefined);
  const files = [join(model, 'model.onnx'), ...(file === undefined ? [] : [file])];
  for (const folder of await readFolders(model)) for (const f of await filesIn(folder)) files.push(f);
  return [...new Set(files)];
}
