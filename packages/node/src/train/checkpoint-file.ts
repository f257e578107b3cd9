// Training checkpoints on disk: one safetensors file with the parameters (`param/<name>`) and the
// optimizer state (`state/<graph input>`); its __metadata__ holds the format, the step, a CRC-32 of
// the tensors and the caller's own strings. Written atomically; refused when truncated, corrupt or
// made for another run (the caller says which metadata must match, e.g. trainStepFingerprint).
import { createHash } from 'node:crypto';
import { crc32, decodeSafetensors, encodeSafetensors, fail, type Tensor, type TrainerCheckpoint, type TrainStep } from '@twinembed/core';
import { writeFileAtomic } from '../atomic-write.js';
import { readRegularFile } from '../read-regular-file.js';

/** Caller metadata: strings by key (keys starting with `twinembed.` are the file's own). */
export type CheckpointMeta = Readonly<Record<string, string>>;

export interface LoadedCheckpoint {
  readonly checkpoint: TrainerCheckpoint;
  readonly meta: CheckpointMeta;
}

export interface LoadCheckpointOptions {
  /** Metadata the file must carry with exactly these values (refused otherwise, every difference listed). */
  expect?: CheckpointMeta;
}

const FORMAT = '1';
const KEYS = { format: 'twinembed.checkpoint', step: 'twinembed.step', crc: 'twinembed.crc32' } as const;
const PARAM = 'param/';
const STATE = 'state/';

export async function saveCheckpoint(path: string, checkpoint: TrainerCheckpoint, meta: CheckpointMeta = {}): Promise<void> {
  await writeFileAtomic(path, encodeCheckpoint(checkpoint, meta, `save "${path}"`), 'checkpoint');
}

/** The checkpoint file's bytes, for a caller that writes them itself (e.g. inside a model directory written at once). */
export function encodeCheckpoint(checkpoint: TrainerCheckpoint, meta: CheckpointMeta = {}, where = 'checkpoint'): Uint8Array {
  const own = Object.keys(meta).filter((k) => k.startsWith('twinembed.'));
  if (own.length > 0) fail('checkpoint', `${where}: expected caller metadata keys outside "twinembed.", got ${own.join(', ')}`);
  if (!Number.isInteger(checkpoint.step) || checkpoint.step < 0) fail('checkpoint', `${where}: expected a step count ≥ 0, got ${checkpoint.step}`);
  const tensors = new Map<string, Tensor>([
    ...Object.entries(checkpoint.params).map(([name, t]) => [PARAM + name, t] as const),
    ...Object.entries(checkpoint.state).map(([name, t]) => [STATE + name, t] as const),
  ]);
  const header = { [KEYS.format]: FORMAT, [KEYS.step]: String(checkpoint.step), [KEYS.crc]: tensorsCrc(tensors), ...meta };
  return encodeSafetensors(tensors, header);
}

export async function loadCheckpoint(path: string, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint> {
  const bytes = await readRegularFile(path, { what: 'checkpoint' });
  const { tensors, metadata = {} } = decodeSafetensors(bytes, `checkpoint "${path}"`);
  if (metadata[KEYS.format] !== FORMAT) {
    fail('checkpoint', `"${path}": expected a twinembed checkpoint (__metadata__ "${KEYS.format}": "${FORMAT}"), got ${JSON.stringify(metadata[KEYS.format] ?? null)}`);
  }
  const crc = tensorsCrc(tensors);
  if (metadata[KEYS.crc] !== crc) fail('checkpoint', `"${path}": expected the tensors' CRC-32 ${metadata[KEYS.crc]}, got ${crc} (corrupt file)`);
  const step = Number(metadata[KEYS.step]);
  if (!/^\d+$/.test(metadata[KEYS.step] ?? '') || !Number.isSafeInteger(step)) fail('checkpoint', `"${path}": expected a step count ≥ 0, got ${JSON.stringify(metadata[KEYS.step] ?? null)}`);
  const meta = Object.fromEntries(Object.entries(metadata).filter(([k]) => !k.startsWith('twinembed.')));
  checkExpected(path, meta, options.expect ?? {});
  const params: Record<string, Tensor> = {};
  const state: Record<string, Tensor> = {};
  for (const [key, tensor] of tensors) {
    if (key.startsWith(PARAM)) params[key.slice(PARAM.length)] = tensor;
    else if (key.startsWith(STATE)) state[key.slice(STATE.length)] = tensor;
    else fail('checkpoint', `"${path}": expected tensor names starting with "${PARAM}" or "${STATE}", got "${key}"`);
  }
  return { checkpoint: { step, params, state }, meta };
}

/**
 * What a checkpoint must share with the train step that resumes it: parameter names and shapes,
 * the optimizer and its state tensors. 16 hex digits of a SHA-256; equal steps give equal strings.
 */
export function trainStepFingerprint(step: Pick<TrainStep, 'params' | 'io' | 'optimizer'>): string {
  const dims = new Map(step.params.map((p) => [p.name, p.dims]));
  const shape = { optimizer: step.optimizer.name, params: step.io.params.map((p) => [p.name, dims.get(p.name), p.state.map((s) => s.key)]) };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 16);
}

function checkExpected(path: string, meta: CheckpointMeta, expect: CheckpointMeta): void {
  const differences = Object.entries(expect).filter(([key, value]) => meta[key] !== value)
    .map(([key, value]) => `${key} expected ${JSON.stringify(value)}, got ${JSON.stringify(meta[key] ?? null)}`);
  if (differences.length > 0) fail('checkpoint', `"${path}" was written for another run: ${differences.join('; ')}`);
}

/** CRC-32 of every tensor's name, dims and bytes, in name order: the file's layout does not matter. */
function tensorsCrc(tensors: ReadonlyMap<string, Tensor>): string {
  let crc = 0;
  for (const name of [...tensors.keys()].sort()) {
    const { dims, data } = tensors.get(name)!;
    if (Array.isArray(data)) fail('checkpoint', `tensor "${name}": expected numbers, got strings`);
    crc = crc32(new TextEncoder().encode(`${name}[${dims.join(',')}]`), crc);
    crc = crc32(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), crc);
  }
  return crc.toString(16).padStart(8, '0');
}
