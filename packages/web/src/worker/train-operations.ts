// Fine-tuning by handle: the one-graph train step on onnxruntime-web, steps streamed as progress
// (loss, steps/s, the provider that runs them), a cancel between steps, and the export of the
// fine-tuned encoder as model files (the manifest saying the pooling it was trained with).
import {
  buildTrainStep, createAdam, createAdamW, createSgd, createTrainer, elementCount, exportEncoder, fail, prepareModel,
  type EmbedSpec, type Manifest, type ModelFiles, type Optimizer, type Trainer, type TrainBatch, type TrainStep,
} from '@twinembed/core';
import { modelFilesOf } from '../load/load-model.js';
import { nextTask } from './next-task.js';
import { webRuntime } from '../web-runtime.js';
import type { Handles } from './handles.js';
import type { CallContext, Operations, OptimizerChoice } from './protocol.js';
import { recordSessions } from './record-sessions.js';

export interface TrainerState {
  readonly trainer: Trainer;
  readonly step: TrainStep;
  readonly files: ModelFiles;
  readonly spec: EmbedSpec;
  readonly batchInputs: readonly string[];
  /** The train call running now, which receives the progress; one at a time. */
  readonly running: { call?: CallContext };
}

type TrainOperations = Pick<Operations, 'createTrainer' | 'train' | 'evaluate' | 'exportModel'>;

export function trainOperations(handles: Handles): TrainOperations {
  return {
    async createTrainer(request) {
      const files = await modelFilesOf(request.model);
      const { spec } = prepareModel(files, { pooling: request.pooling, output: request.output });
      const step = buildTrainStep({
        encoder: files.onnx, output: spec.output, pooling: spec.pooling, loss: request.loss, lossOptions: request.lossOptions, optimizer: optimizerOf(request.optimizer),
      });
      const recorded = recordSessions(webRuntime(request.runtime));
      const batchInputs = [...step.branchInputs.map((x) => x.name), ...(step.labels ? [step.labels.name] : [])];
      const running: TrainerState['running'] = {};
      const trainer = await createTrainer({
        runtime: recorded.runtime, step, lr: request.lr,
        onProgress: (p) => running.call?.progress({ kind: 'train', ...p, executionProvider: recorded.provider().executionProvider }),
      });
      const state: TrainerState = { trainer, step, files, spec, batchInputs, running };
      const values = step.params.reduce((sum, p) => sum + elementCount(p.dims), 0);
      return { trainer: handles.add('trainer', state), ...recorded.provider(), batchInputs, parameters: { tensors: step.params.length, values } };
    },
    async train(request, context) {
      const state = handles.get(request.trainer, 'trainer');
      const batches = checkBatches(request.batches, state.batchInputs);
      if (state.running.call) fail('train', `trainer "${request.trainer}" is already training: expected one train call at a time, got a second`);
      let cancelled = false;
      state.running.call = context;
      try {
        const losses = await state.trainer.train((async function* () {
          for (const batch of batches) {
            await nextTask();
            if ((cancelled = context.cancelled())) return;
            yield batch;
          }
        })());
        return { losses, step: state.trainer.checkpoint().step, cancelled };
      } finally {
        state.running.call = undefined;
      }
    },
    async evaluate(request) {
      const state = handles.get(request.trainer, 'trainer');
      return state.trainer.evaluate(checkBatches(request.batches, state.batchInputs));
    },
    async exportModel({ trainer }) {
      const state = handles.get(trainer, 'trainer');
      const onnx = exportEncoder({ encoder: state.files.onnx, params: state.trainer.checkpoint().params, discovery: state.step.discovery });
      return { onnx, manifest: trainedManifest(state.files.manifest, state.spec), tokenizer: state.files.tokenizer, source: `fine-tuned from ${state.files.source ?? 'a model'}` };
    },
  };
}

function optimizerOf(choice: OptimizerChoice = { name: 'adamw' }): Optimizer {
  const { name, ...options } = choice;
  if (name === 'sgd') return createSgd(options);
  if (name === 'adamw') return createAdamW(options);
  if (name === 'adam') return createAdam(options);
  return fail('train', `optimizer: expected "adamw", "adam" or "sgd", got ${JSON.stringify(name)}`);
}

function checkBatches(batches: readonly TrainBatch[], inputs: readonly string[]): readonly TrainBatch[] {
  if (!Array.isArray(batches) || batches.length === 0) fail('train', `batches: expected a non-empty array of feeds (${inputs.join(', ')}), got ${Array.isArray(batches) ? 'none' : typeof batches}`);
  batches.forEach((batch, i) => {
    const missing = inputs.filter((name) => !batch?.[name]?.data);
    if (missing.length > 0) fail('train', `batch ${i}: expected tensors ${inputs.join(', ')}, missing ${missing.join(', ')}`);
  });
  return batches;
}

/** The source manifest, less the paths of the source directory, stating what the encoder was trained with. */
function trainedManifest(source: Manifest | undefined, spec: EmbedSpec): Manifest {
  const { model: _model, tokenizer: _tokenizer, ...rest } = source ?? {};
  return { ...rest, output: spec.output, pooling: spec.pooling, normalize: spec.normalize };
}
