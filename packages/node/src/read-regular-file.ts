// Every file twinembed reads goes through here: a path that is not a regular file (a FIFO, a device
// such as /dev/zero, a directory, a socket) is refused with one line before a byte is read, and a
// format with a natural bound refuses a larger file instead of reading it all.
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { fail } from '@twinembed/core';

const MiB = 1024 * 1024;

/** Natural bounds: protobuf caps one message at 2 GiB; V8 caps a string at 2^29 − 24 UTF-16 units. */
export const FILE_LIMITS = {
  /** An .onnx file: one protobuf message (bigger models keep their weights as external data). */
  onnx: 2 * 1024 * MiB,
  /** Text read into one string: UTF-8 bytes are at least as many as the string's units. */
  text: 0x1fffffe8,
  /** A tokenizer.json or a config of a model directory (the largest tokenizers are tens of MB). */
  json: 256 * MiB,
} as const;

export interface ReadRegularFileOptions {
  /** What the file is, for messages: 'index', 'checkpoint', … */
  what?: string;
  /** Refuse a larger file before reading it. */
  maxBytes?: number;
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function reason(cause: NodeJS.ErrnoException): string {
  if (cause.code === 'ENOENT') return 'no such file or directory';
  if (cause.code === 'EACCES' || cause.code === 'EPERM') return 'permission denied';
  if (cause.code === 'ELOOP') return 'too many levels of symbolic links';
  return cause.message;
}

const named = (path: string, what: string | undefined) => (what ? `${what} "${path}"` : `"${path}"`);

/**
 * Opens a regular file for reading and returns it with its size. O_NONBLOCK makes opening a FIFO
 * return at once instead of waiting for a writer; the check is on the opened file (fstat), so a
 * path swapped after a stat cannot slip through.
 */
export async function openRegularFile(path: string, options: ReadRegularFileOptions = {}): Promise<{ handle: FileHandle; size: number }> {
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
  const handle = await open(path, flags).catch((cause: NodeJS.ErrnoException) => fail('io', `cannot read ${named(path, options.what)}: ${reason(cause)}`, cause));
  try {
    const info = await handle.stat();
    if (!info.isFile()) fail('io', `cannot read ${named(path, options.what)}: expected a regular file, got ${kindOf(info)}`);
    if (options.maxBytes !== undefined && info.size > options.maxBytes) {
      fail('io', `cannot read ${named(path, options.what)}: expected at most ${options.maxBytes.toLocaleString('en-US')} bytes, got ${info.size.toLocaleString('en-US')}`);
    }
    return { handle, size: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** One read call takes at most 2^31 − 1 bytes. */
const CHUNK = 1024 * MiB;

/** Reads exactly `length` bytes at `position` (external data ranges, file heads). */
export async function readRange(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, Math.min(length - done, CHUNK), position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

/** The whole file, checked to be a regular file within `maxBytes`. */
export async function readRegularFile(path: string, options: ReadRegularFileOptions = {}): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(path, options);
  try {
    return await readRange(handle, 0, size);
  } catch (cause) {
    return fail('io', `cannot read ${named(path, options.what)}: ${reason(cause as NodeJS.ErrnoException)}`, cause);
  } finally {
    await handle.close();
  }
}

/** The whole file as UTF-8 text, within the longest string JavaScript holds unless told less. */
export async function readRegularText(path: string, options: ReadRegularFileOptions = {}): Promise<string> {
  const bytes = await readRegularFile(path, { ...options, maxBytes: Math.min(options.maxBytes ?? FILE_LIMITS.text, FILE_LIMITS.text) });
  return new TextDecoder().decode(bytes);
}

/** readRegularText, or undefined when nothing is at `path` (optional files of a model directory). */
export async function readOptionalText(path: string, options: ReadRegularFileOptions = {}): Promise<string | undefined> {
  try {
    return await readRegularText(path, options);
  } catch (error) {
    if ((error as { cause?: NodeJS.ErrnoException }).cause?.code === 'ENOENT') return undefined;
    throw error;
  }
}
