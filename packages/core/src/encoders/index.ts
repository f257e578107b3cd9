export { conv4Encoder, type Conv4Options } from './conv4-encoder.js';
export { kochEncoder, type KochOptions } from './koch-encoder.js';
export { ENCODERS, buildEncoder, type EncoderName } from './encoder-registry.js';
export * from './use-lite/index.js';
