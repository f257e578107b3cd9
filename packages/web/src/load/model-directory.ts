// A model directory in a browser → ModelFiles, as @twinembed/node reads one from disk: twinembed.json
// first (it may name the .onnx file and the tokenizer folder), then the model with any external data
// inlined, the tokenizer files and sentence-transformers' configs (modules.json, the Pooling config,
// sentence_bert_config.json, config_sentence_transformers.json). The directory is a base URL, a map
// of relative path → bytes (e.g. from a directory picker), or a FileSystemDirectoryHandle (OPFS, showDirectoryPicker).
import { decodeModel, encodeModel, fail, hasExternalData, parseManifest, resolveExternalData, type ModelFiles } from '@twinembed/core';
import { fetchResponse, parseJson, readBytes, responseBytes, type ByteSource, type FetchOptions } from './byte-source.js';

/** Reads one file by its '/'-separated path inside the directory; a missing file is `undefined`, or an error when `required`. */
export interface DirectoryReader {
  /** For messages. */
  readonly source: string;
  read(path: string, required?: boolean): Promise<Uint8Array | undefined>;
  /** File paths, at least those at the top level, when the directory can be listed (a file map or handle can, a URL cannot). */
  list?(): Promise<string[]>;
}

/** Relative path → file contents, as a plain object or a Map. */
export type FileMap = Readonly<Record<string, ByteSource>> | ReadonlyMap<string, ByteSource>;

export function urlDirectory(base: string | URL, options: FetchOptions = {}): DirectoryReader {
  const root = String(base).replace(/\/+$/, '');
  return {
    source: root,
    async read(path, required = false) {
      const url = `${root}/${path}`;
      return responseBytes(await fetchResponse(url, options), url, required);
    },
  };
}

export function fileMapDirectory(files: FileMap, source = 'the given files'): DirectoryReader {
  const entries = new Map<string, ByteSource>(files instanceof Map ? files : Object.entries(files));
  const byPath = new Map([...entries].map(([path, file]) => [normalizePath(path), file]));
  return {
    source,
    read: async (path, required = false) => {
      const file = byPath.get(normalizePath(path));
      if (file === undefined) return required ? missing(path, source) : undefined;
      return readBytes(file);
    },
    list: async () => [...byPath.keys()],
  };
}

export function handleDirectory(root: FileSystemDirectoryHandle): DirectoryReader {
  const source = `the folder "${root.name}"`;
  return {
    source,
    async read(path, required = false) {
      const parts = normalizePath(path).split('/');
      let dir = root;
      try {
        for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part);
        return new Uint8Array(await (await (await dir.getFileHandle(parts[parts.length - 1]!)).getFile()).arrayBuffer());
      } catch (cause) {
        const name = (cause as DOMException).name;
        if (name === 'NotFoundError' || name === 'TypeMismatchError') return required ? missing(path, source) : undefined;
        return fail('io', `cannot read "${path}" in ${source}: ${(cause as Error).message}`, cause);
      }
    },
    async list() {
      const names: string[] = [];
      for await (const [name, handle] of (root as unknown as AsyncIterable<[string, FileSystemHandle]>)) if (handle.kind === 'file') names.push(name);
      return names;
    },
  };
}

/** Files picked with `<input type="file" webkitdirectory>`: paths relative to the picked folder. */
export function pickedFiles(files: ArrayLike<File>): Map<string, File> {
  const list = Array.from(files);
  const paths = list.map((f) => f.webkitRelativePath || f.name);
  const top = paths.every((p) => p.includes('/')) ? new Set(paths.map((p) => p.split('/')[0])) : new Set<string>();
  const strip = top.size === 1;
  return new Map(list.map((f, i) => [strip ? paths[i]!.slice(paths[i]!.indexOf('/') + 1) : paths[i]!, f]));
}

function missing(path: string, source: string): never {
  return fail('io', `model directory ${source}: expected "${path}", got no such file`);
}

function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.').join('/');
}

/** A path named by twinembed.json: relative, and inside the model directory. */
function inside(path: string, field: string, source: string): string {
  const normalized = normalizePath(path);
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/') || normalized.split('/').includes('..') || normalized === '') {
    fail('manifest', `twinembed.json ${field}: expected a path inside ${source}, got "${path}"`);
  }
  return normalized;
}

const join = (dir: string, file: string) => (dir === '' ? file : `${dir}/${file}`);
const folderOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

async function readJsonFile(dir: DirectoryReader, ...paths: string[]): Promise<unknown> {
  for (const path of paths) {
    const bytes = await dir.read(path);
    if (bytes !== undefined) return parseJson(bytes, `"${path}" in ${dir.source}`);
  }
  return undefined;
}

/** model.onnx, else the manifest's `model`, else (when the directory can be listed) its only .onnx file. */
async function modelPath(dir: DirectoryReader, named: string | undefined): Promise<string> {
  if (named !== undefined) return inside(named, 'model', dir.source);
  if (!dir.list) return 'model.onnx';
  const files = await dir.list();
  if (files.includes('model.onnx')) return 'model.onnx';
  const onnx = files.filter((f) => f.endsWith('.onnx') && !f.includes('/')).sort();
  if (onnx.length === 1) return onnx[0]!;
  return fail('io', `model directory ${dir.source}: expected model.onnx or exactly one .onnx file, got ${onnx.length === 0 ? 'none' : onnx.join(', ')}`);
}

/** The model's bytes with external data (`.onnx.data` beside it) inlined, so onnxruntime-web gets one buffer. */
async function readModel(dir: DirectoryReader, path: string): Promise<Uint8Array> {
  const bytes = (await dir.read(path, true))!;
  const model = decodeModel(bytes, `"${path}" in ${dir.source}`);
  if (!hasExternalData(model)) return bytes;
  return encodeModel(await resolveExternalData(model, async (ref) => {
    const file = join(folderOf(path), ref.location);
    const data = (await dir.read(file, true))!;
    const length = ref.length ?? data.length - ref.offset;
    if (ref.offset + length > data.length) fail('onnx', `external data "${ref.location}": expected ${length} bytes at offset ${ref.offset}, but the file has ${data.length} bytes (truncated?)`);
    return data.subarray(ref.offset, ref.offset + length);
  }));
}

export async function readModelDirectory(dir: DirectoryReader): Promise<ModelFiles> {
  const rawManifest = await readJsonFile(dir, 'twinembed.json');
  const manifest = rawManifest === undefined ? undefined : parseManifest(rawManifest, `twinembed.json in ${dir.source}`);
  const onnx = await readModel(dir, await modelPath(dir, manifest?.model));
  const tokenizerDir = manifest?.tokenizer ? inside(manifest.tokenizer, 'tokenizer', dir.source) : '';
  const [tokenizer, tokenizerConfig, modules, pooling, sentenceBert, config] = await Promise.all([
    readJsonFile(dir, join(tokenizerDir, 'tokenizer.json')), readJsonFile(dir, join(tokenizerDir, 'tokenizer_config.json')),
    readJsonFile(dir, 'modules.json'), readJsonFile(dir, '1_Pooling/config.json', '1_Pooling_config.json'), readJsonFile(dir, 'sentence_bert_config.json'),
    readJsonFile(dir, 'config_sentence_transformers.json'),
  ]);
  return {
    onnx,
    source: dir.source,
    tokenizer: tokenizer ? { json: tokenizer as object, config: tokenizerConfig as object | undefined } : undefined,
    manifest,
    sentenceTransformers: modules || pooling || sentenceBert || config ? { modules, pooling, sentenceBert, config } : undefined,
  };
}
