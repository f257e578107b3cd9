// A model from wherever a page has it → ModelFiles for createEmbedder, a trainer or the worker client.
//   await loadModel('https://example.com/models/minilm/');  // a directory: model.onnx, tokenizer.json, twinembed.json…
//   await loadModel('/models/encoder.onnx');                 // one .onnx file (a URL ending in .onnx)
//   await loadModel(pickedFiles(input.files));               // <input type="file" webkitdirectory>
//   await loadModel(await showDirectoryPicker());            // or an OPFS folder
//   await loadModel(file);                                   // a File, Blob, Response, ArrayBuffer or Uint8Array: one .onnx file
import { decodeModel, externalDataRefs, fail, type ModelFiles } from '@twinembed/core';
import { describeSource, isByteSource, readBytes, type ByteSource, type FetchOptions } from './byte-source.js';
import { fileMapDirectory, handleDirectory, pickedFiles, readModelDirectory, urlDirectory, type FileMap } from './model-directory.js';

/** A directory (base URL, file map, picked files, directory handle) or one .onnx file (URL ending in .onnx, or bytes). */
export type ModelSource = ByteSource | FileMap | ArrayLike<File> | FileSystemDirectoryHandle;

const isOnnxUrl = (url: string) => /\.onnx$/i.test(url.replace(/[?#].*$/, ''));

export async function loadModel(source: ModelSource, options: FetchOptions = {}): Promise<ModelFiles> {
  if (typeof source === 'string' || source instanceof URL) {
    return isOnnxUrl(String(source)) ? loadModelFile(source, options) : readModelDirectory(urlDirectory(source, options));
  }
  if (isByteSource(source)) return loadModelFile(source, options);
  if (typeof FileSystemDirectoryHandle !== 'undefined' && source instanceof FileSystemDirectoryHandle) return readModelDirectory(handleDirectory(source));
  if (isFileList(source)) return readModelDirectory(fileMapDirectory(pickedFiles(source), 'the picked files'));
  if (source instanceof Map || (typeof source === 'object' && source !== null && Object.getPrototypeOf(source) === Object.prototype)) {
    return readModelDirectory(fileMapDirectory(source as FileMap));
  }
  return fail('io', `loadModel: expected a URL, Response, Blob, bytes, a map of file name → bytes, picked files or a directory handle, got ${Object.prototype.toString.call(source)}`);
}

/** Fetches `<base>/model.onnx` (or the .onnx file twinembed.json names) and whichever other files the directory has. */
export async function loadModelFromUrl(base: string, options: FetchOptions = {}): Promise<ModelFiles> {
  return readModelDirectory(urlDirectory(base, options));
}

/** Files already loaded (e.g. from the store or a trainer's export), as opposed to a source to load them from. */
export function isModelFiles(value: unknown): value is ModelFiles {
  return typeof value === 'object' && value !== null && !isByteSource(value) && (value as { onnx?: unknown }).onnx instanceof Uint8Array;
}

/** Loaded files pass through; a source is loaded. */
export async function modelFilesOf(model: ModelSource | ModelFiles, options: FetchOptions = {}): Promise<ModelFiles> {
  return isModelFiles(model) ? model : loadModel(model, options);
}

function isFileList(source: unknown): source is ArrayLike<File> {
  if (typeof File === 'undefined') return false;
  if (typeof FileList !== 'undefined' && source instanceof FileList) return true;
  return Array.isArray(source) && source.length > 0 && source.every((f) => f instanceof File);
}

/** One .onnx file: it must stand alone, since the files its external data lives in cannot be found from bytes. */
async function loadModelFile(source: ByteSource, options: FetchOptions): Promise<ModelFiles> {
  const where = describeSource(source);
  const onnx = await readBytes(source, options);
  const refs = externalDataRefs(decodeModel(onnx, where));
  if (refs.length > 0) {
    fail('io', `${where} keeps tensors in "${refs[0]!.location}": expected a model that stands alone; load its folder instead (a base URL, a file map or picked files)`);
  }
  return { onnx, source: typeof source === 'string' || source instanceof URL ? String(source) : where };
}
