// `twinembed finetune --checkpoint-every / --resume`: the trainer's state saved beside --out, and a
// saved state checked against the run that resumes it (same model, data sizes, losses, optimizer,
// batch order) before any training, so a resumed run continues the interrupted one exactly.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, fail, TwinembedError, type EmbedSpec, type NamedLossOptions, type TrainerOptions, type TrainStep } from '@twinembed/core';
import { loadCheckpoint, saveCheckpoint, trainStepFingerprint, type CheckpointMeta } from './checkpoint-file.js';

/** The file --checkpoint-every rewrites in --checkpoint-dir. */
export const CHECKPOINT_FILE = 'checkpoint.safetensors';

export interface CheckpointSettings {
  out: string;
  checkpointEvery?: number;
  checkpointDir?: string;
  resume?: string;
  distance?: NamedLossOptions['distance']; margin?: number; scale?: number;
  optimizer: string; batchSize: number; shuffle: boolean; seed: number;
}

export interface RunShape {
  /** The train steps, one per distinct loss. */
  steps: readonly TrainStep[];
  spec: EmbedSpec;
  /** Per data set: its loss and row count. */
  losses: readonly string[];
  rows: readonly number[];
  /** Steps of the whole run. */
  total: number;
}

export type FinetuneCheckpoints = Pick<TrainerOptions, 'resume' | 'checkpointEvery' | 'onCheckpoint'> & {
  /** The step and file of the last checkpoint this run wrote, if any. */
  saved?: { step: number; path: string };
};

/** --resume's checkpoint (checked against this run) and the --checkpoint-every writer, both ready before training. */
export async function finetuneCheckpoints(o: CheckpointSettings, run: RunShape): Promise<FinetuneCheckpoints> {
  if (o.checkpointEvery === undefined && o.resume === undefined) return {};
  const meta = runMeta(o, run);
  const resume = o.resume === undefined ? undefined : (await loadCheckpoint(o.resume, { expect: meta })).checkpoint;
  if (resume && resume.step >= run.total) fail('cli', `finetune: --resume "${o.resume}" is at step ${resume.step}, expected fewer than the run's ${run.total} steps`);
  if (o.checkpointEvery === undefined) return { resume };
  const path = await checkpointFile(o);
  const checkpoints: FinetuneCheckpoints = { resume, checkpointEvery: o.checkpointEvery };
  checkpoints.onCheckpoint = async (c) => {
    await saveCheckpoint(path, c, meta);
    checkpoints.saved = { step: c.step, path };
  };
  return checkpoints;
}

/**
 * A run that failed (a non-finite loss, an interrupted evaluation) as one error that says what is on
 * disk: --out is written only when training ends, a checkpoint only every --checkpoint-every steps.
 */
export function failedRunError(error: unknown, o: Pick<CheckpointSettings, 'out' | 'checkpointEvery' | 'resume'>, checkpoints: FinetuneCheckpoints): unknown {
  if (!(error instanceof TwinembedError) || error.area !== 'train') return error;
  const saved = checkpoints.saved ? `the last checkpoint on disk is step ${checkpoints.saved.step} ("${checkpoints.saved.path}")`
    : o.checkpointEvery === undefined ? 'this run wrote no checkpoint (no --checkpoint-every)' : 'this run wrote no checkpoint yet';
  const resumed = o.resume === undefined || checkpoints.saved ? '' : `, and --resume "${o.resume}" is unchanged`;
  const onDisk = `--out "${o.out}" was not written, ${saved}${resumed}`;
  // The trainer's own message speaks of its in-memory state, which the CLI does not keep.
  const loss = /^\[twinembed:train\] (step \d+: expected a finite loss, got \S+); training stopped/.exec(error.message);
  const message = loss ? `${loss[1]}; training stopped: ${onDisk}` : `${error.message.replace(/^\[twinembed:train\] /, '')}; ${onDisk}`;
  return new TwinembedError('train', message, { cause: error });
}

/** What a checkpoint must share with the run that resumes it; --lr, --weight-decay and the step count may change. Lists are comma-joined (one data set: as before). */
function runMeta(o: CheckpointSettings, run: RunShape): CheckpointMeta {
  const first = run.steps[0]!;
  let model = 0;
  for (const p of first.params) {
    const data = first.initialParams[p.name]!.data as Float32Array;
    model = crc32(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), model);
  }
  return {
    trainStep: run.steps.map(trainStepFingerprint).join(','), model: model.toString(16).padStart(8, '0'), loss: run.losses.join(','),
    lossOptions: JSON.stringify({ distance: o.distance, margin: o.margin, scale: o.scale }), optimizer: o.optimizer,
    pooling: run.spec.pooling, rows: run.rows.join(','), batchSize: String(o.batchSize), shuffle: String(o.shuffle), seed: String(o.seed),
  };
}

/** --checkpoint-dir, default `<out>.checkpoints` beside --out (--out itself is replaced whole at the end). */
export function checkpointDir(o: Pick<CheckpointSettings, 'out' | 'checkpointDir'>): string {
  return o.checkpointDir ?? `${o.out.replace(/[\\/]+$/, '')}.checkpoints`;
}

/** The checkpoint file in checkpointDir(o), its folder created before training. */
async function checkpointFile(o: CheckpointSettings): Promise<string> {
  const dir = checkpointDir(o);
  await mkdir(dir, { recursive: true }).catch((cause: Error) => fail('io', `cannot create the checkpoint folder "${dir}": ${cause.message}`, cause));
  return join(dir, CHECKPOINT_FILE);
}
