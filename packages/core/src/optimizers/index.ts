// Optimizers as graph builders with PyTorch's semantics, gradient clipping, and host-side lr schedules.
export type { Optimizer, ParamUpdate, ParamUpdateInputs } from './optimizer.js';
export { createSgd, type SgdOptions } from './sgd.js';
export { createAdam, createAdamW, type AdamOptions } from './adam.js';
export { clipGradNorm, type ClipGradNormOptions, type ClippedGrads } from './clip-grad-norm.js';
export { createLrSchedule, type LrSchedule, type LrScheduleKind, type LrScheduleOptions } from './lr-schedule.js';
export { appendOptimizerStep, type OptimizerStepNames, type OptimizerStepOptions, type TrainableGrad } from './optimizer-step.js';
