// One-shot classifiers by handle, over an embedder handle: create or load from a snapshot, enroll,
// classify, remove a label, and the snapshot's bytes. Blobs and ImageBitmaps are decoded here.
import { createIndex, createOneShotClassifier, fail, restoreOneShotClassifier, type OneShotClassifier } from '@twinembed/core';
import type { ClassifierInfo } from './classifier-protocol.js';
import { decodedInput } from './embed-operations.js';
import type { Handles } from './handles.js';
import type { Operations, WebEmbedInput } from './protocol.js';

type ClassifierOperations = Pick<Operations, 'createClassifier' | 'enroll' | 'classify' | 'removeLabel' | 'classifierSnapshot' | 'loadClassifier'>;

function info(handle: string, embedder: string, classifier: OneShotClassifier<WebEmbedInput>): ClassifierInfo {
  const labels = classifier.labels().map((label) => ({ label, examples: classifier.examples(label) }));
  return { classifier: handle, embedder, dim: classifier.embedder.dim, metric: classifier.metric, labels };
}

export function classifierOperations(handles: Handles): ClassifierOperations {
  const get = (handle: string) => handles.get(handle, 'classifier');
  const add = (embedder: string, classifier: OneShotClassifier<WebEmbedInput>) => info(handles.add('classifier', { classifier, embedder }), embedder, classifier);
  return {
    async createClassifier({ embedder: handle, metric, backend }) {
      const embedder = handles.get(handle, 'embedder');
      if (backend !== undefined && backend !== 'flat' && backend !== 'hnsw') fail('oneshot', `createClassifier backend: expected flat or hnsw, got ${String(backend)}`);
      const index = backend === 'hnsw' ? createIndex({ backend, dim: embedder.dim, metric: metric === 'euclidean' ? 'l2' : 'cosine' }) : undefined;
      return add(handle, createOneShotClassifier({ embedder, index, metric, readInput: decodedInput }));
    },
    async loadClassifier({ embedder: handle, snapshot }) {
      const embedder = handles.get(handle, 'embedder');
      return add(handle, restoreOneShotClassifier({ embedder, snapshot, readInput: decodedInput }));
    },
    async enroll({ classifier: handle, label, examples }) {
      const { classifier, embedder } = get(handle);
      await classifier.enroll(label, examples);
      return info(handle, embedder, classifier);
    },
    async classify({ classifier: handle, inputs, k }) {
      if (!Array.isArray(inputs)) fail('oneshot', `classify inputs: expected an array (one result per input), got ${typeof inputs}`);
      return get(handle).classifier.classify(inputs, { k });
    },
    async removeLabel({ classifier: handle, label }) {
      const { classifier, embedder } = get(handle);
      classifier.remove(label);
      return info(handle, embedder, classifier);
    },
    async classifierSnapshot({ classifier }) {
      return get(classifier).classifier.snapshot();
    },
  };
}
