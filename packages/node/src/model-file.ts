// Models on disk: a file or a model directory, with external data read only from inside the
// model's own folder (symlinks included), and writes that never leave a half-written file.
import { readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, isAbsolute } from 'node:path';
import {
  decodeModel, encodeModel, externalDataRefs, fail, hasExternalData, resolveExternalData,
  type ExternalDataRef, type ModelProto,
} from '@twinembed/core';
import { FILE_LIMITS, openRegularFile, readRange, readRegularFile } from './read-regular-file.js';

function ioError(path: string, cause: unknown): never {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const reason = code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((cause as Error)?.message ?? cause);
  return fail('io', `cannot read "${path}": ${reason}`, cause);
}

/** A model file, or a directory holding `model.onnx` (or exactly one `.onnx` file). */
export async function resolveModelPath(path: string): Promise<string> {
  const info = await stat(path).catch((cause) => ioError(path, cause));
  if (!info.isDirectory()) return path;
  const files = (await readdir(path)).filter((f) => f.endsWith('.onnx')).sort();
  if (files.includes('model.onnx')) return join(path, 'model.onnx');
  if (files.length === 1) return join(path, files[0]!);
  return fail('io', `model directory "${path}": expected model.onnx or exactly one .onnx file, got ${files.length === 0 ? 'none' : files.join(', ')}`);
}

/** Decodes a model file without reading its external data (whose locations are still checked). */
export async function readModelStructure(path: string): Promise<ModelProto> {
  const file = await resolveModelPath(path);
  const bytes = await readRegularFile(file, { maxBytes: FILE_LIMITS.onnx });
  const model = decodeModel(bytes, `"${file}"`);
  externalDataRefs(model);
  return model;
}

/** Decodes a model file and loads its external data into memory, so the model stands alone. */
export async function loadModelFile(path: string): Promise<ModelProto> {
  const file = await resolveModelPath(path);
  const bytes = await readRegularFile(file, { maxBytes: FILE_LIMITS.onnx });
  const model = decodeModel(bytes, `"${file}"`);
  const folder = await realpath(dirname(file));
  return resolveExternalData(model, (ref) => readExternal(folder, ref));
}

/** Bytes onnxruntime can load: the file itself, or the model re-encoded with its external data inlined. */
export async function readModelBytes(path: string): Promise<Uint8Array> {
  const file = await resolveModelPath(path);
  const bytes = await readRegularFile(file, { maxBytes: FILE_LIMITS.onnx });
  const model = decodeModel(bytes, `"${file}"`);
  if (!hasExternalData(model)) return bytes;
  const folder = await realpath(dirname(file));
  return encodeModel(await resolveExternalData(model, (ref) => readExternal(folder, ref)));
}

async function readExternal(folder: string, ref: ExternalDataRef): Promise<Uint8Array> {
  const target = join(folder, ref.location);
  const real = await realpath(target).catch((cause) => ioError(target, cause));
  const rel = relative(folder, real);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    fail('onnx', `external data "${ref.location}" resolves to "${real}": expected a file inside the model's folder "${folder}"`);
  }
  const { handle, size } = await openRegularFile(real, { what: `external data "${ref.location}" at` });
  try {
    const length = ref.length ?? size - ref.offset;
    if (ref.offset + length > size) fail('onnx', `external data "${ref.location}": expected ${length} bytes at offset ${ref.offset}, but the file has ${size} bytes (truncated?)`);
    return await readRange(handle, ref.offset, length);
  } finally {
    await handle.close();
  }
}

/** Writes a model atomically: a temporary file beside the target, then a rename. */
export async function saveModelFile(path: string, model: ModelProto): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, encodeModel(model));
    await rename(temporary, path);
  } catch (cause) {
    await rm(temporary, { force: true });
    fail('io', `cannot write model "${path}": ${(cause as Error).message}`, cause);
  }
}
