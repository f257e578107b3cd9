// Tests draw from core's seeded generator, so test data and library initializations share one definition.
export { seededRandom, seededUniform } from '../../packages/core/src/random.js';
