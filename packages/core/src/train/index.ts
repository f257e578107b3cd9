// Train-step assembly, the trainer and the export of the fine-tuned encoder.
export { buildTrainStep, buildLossModel, type AnyLossEntry, type TrainStep, type TrainStepOptions, type TrainStepParam } from './build-train-step.js';
export type { BranchInput } from './twin-branches.js';
export { createTrainer, type Trainer, type TrainerOptions, type TrainerCheckpoint, type TrainerProgress, type TrainBatch } from './create-trainer.js';
export { createMultiTaskTrainer, type MultiTaskTrainerOptions, type TaskBatch } from './multi-task-trainer.js';
export { exportEncoder, type ExportEncoderOptions } from './export-encoder.js';
export { takeRows } from './take-rows.js';
export { fit, type FitOptions, type FitResult, type FitLogEntry, type FitValidation } from './fit.js';
export { imageBatches, type ImageBatches, type ImageBatchesOptions, type ImageSet } from './image-batches.js';
export { exportPairHead } from './export-pair-head.js';
