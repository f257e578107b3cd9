// One-shot classification: enroll examples per label, classify by the nearest class prototype, save and restore.
export { createOneShotClassifier, prototypeOf, type ClassifyOptions, type OneShotClassifier, type OneShotClassifierOptions, type OneShotResult, type RankedLabel } from './one-shot-classifier.js';
export { restoreOneShotClassifier, type RestoreOneShotOptions } from './one-shot-restore.js';
export { checkManifest, checkSnapshot, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type OneShotManifest, type OneShotSnapshot, type PartCheck } from './one-shot-snapshot.js';
export { modelFingerprint, type ModelFingerprint } from './model-fingerprint.js';
