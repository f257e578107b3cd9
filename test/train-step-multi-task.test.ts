// createMultiTaskTrainer on bert-tiny-a: two losses (CoSENT on pairs, MNRL on anchor/positive) as two
// step graphs over one set of parameters and AdamW state. Alternating tasks must equal one trainer per
// loss handing its checkpoint to the next (bit for bit: the same graphs, fed the same tensors), so
// parameters, optimizer state and the step count are truly shared.
import { describe, expect, test } from 'vitest';
import { buildTrainStep, createAdamW, createMultiTaskTrainer, createTrainer, decodeModel, encodeModel, makeTensorProto, nodeRuntime, tensorDims, tensorValues, type Tensor, type TrainerCheckpoint, type TrainerProgress } from '@twinembed/node';
import { hasShared } from './support/paths.js';
import { fixtureFile, fixtureLosses } from './support/train-batches.js';

const DIR = 'bert-tiny-a';
const encoder = () => fixtureFile(DIR, 'model.dynamo.onnx');
const bytes = (t: Tensor) => Buffer.from((t.data as Float32Array).buffer, (t.data as Float32Array).byteOffset, (t.data as Float32Array).byteLength);

function sameTensors(a: Readonly<Record<string, Tensor>>, b: Readonly<Record<string, Tensor>>): string[] {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  return Object.keys(a).filter((k) => !bytes(a[k]!).equals(bytes(b[k]!)));
}

describe.skipIf(!hasShared)('createMultiTaskTrainer on bert-tiny-a (CoSENTLoss + MultipleNegativesRankingLoss, AdamW)', () => {
  const losses = hasShared ? fixtureLosses(DIR) : {};
  const steps = hasShared ? ['CoSENTLoss', 'MultipleNegativesRankingLoss'].map((loss) => buildTrainStep({ encoder: encoder(), loss, optimizer: createAdamW() })) : [];
  const batches = hasShared ? [losses.CosineSimilarityLoss!.batch, losses.MultipleNegativesRankingLoss!.batch] : []; // pairs with float scores; anchor/positive
  const order = [0, 1, 1, 0];

  test('tasks 0, 1, 1, 0 = one trainer per loss, each resuming from the other\'s checkpoint', async () => {
    const seen: TrainerProgress[] = [];
    const multi = await createMultiTaskTrainer({ runtime: nodeRuntime(), steps, lr: 1e-2, onProgress: (p) => seen.push(p) });
    const losses = await multi.train(order.map((task) => ({ task, feeds: batches[task]! })));
    await multi.release();

    let checkpoint: TrainerCheckpoint | undefined;
    const alone: number[] = [];
    for (const task of order) {
      const single = await createTrainer({ runtime: nodeRuntime(), step: steps[task]!, lr: 1e-2, ...(checkpoint ? { resume: checkpoint } : {}) });
      alone.push(await single.step(batches[task]!));
      checkpoint = single.checkpoint();
      await single.release();
    }
    expect(seen.map((p) => [p.step, p.task])).toEqual([[1, 0], [2, 1], [3, 1], [4, 0]]);
    expect(losses).toEqual(alone);
    expect(losses[3]).not.toBe(losses[0]); // the second CoSENT step saw the weights the MNRL steps moved
    const after = multi.checkpoint();
    expect(after.step).toBe(4);
    expect(sameTensors(after.params, checkpoint!.params)).toEqual([]);
    expect(sameTensors(after.state, checkpoint!.state)).toEqual([]);
  });

  test('evaluate runs each batch on its task\'s graph and changes nothing', async () => {
    const multi = await createMultiTaskTrainer({ runtime: nodeRuntime(), steps, lr: 1e-2 });
    const mean = await multi.evaluate([{ task: 0, feeds: batches[0]! }, { task: 1, feeds: batches[1]! }]);
    const first = await multi.step({ task: 0, feeds: batches[0]! });
    const second = await multi.step({ task: 1, feeds: batches[1]! });
    await multi.release();
    expect(mean).toBeCloseTo((first + (await lossAtStart(1))) / 2, 6);
    expect(second).not.toBe(await lossAtStart(1));
  });

  async function lossAtStart(task: number): Promise<number> {
    const single = await createTrainer({ runtime: nodeRuntime(), step: steps[task]!, lr: 1e-2 });
    const loss = await single.evaluate([batches[task]!]);
    await single.release();
    return loss;
  }

  test('a task out of range, and steps built from different encoders, are refused', async () => {
    const multi = await createMultiTaskTrainer({ runtime: nodeRuntime(), steps, lr: 1e-2 });
    await expect(multi.step({ task: 2, feeds: batches[0]! })).rejects.toThrow('[twinembed:train] batch task: expected an integer in [0, 1], got 2');
    await multi.release();
    const model = decodeModel(encoder());
    const i = model.graph!.initializer!.findIndex((t) => t.name === 'embeddings.word_embeddings.weight');
    const values = Float32Array.from(tensorValues(model.graph!.initializer![i]!) as Float32Array);
    values[3]! += 1;
    model.graph!.initializer![i] = makeTensorProto('embeddings.word_embeddings.weight', 'float32', tensorDims(model.graph!.initializer![i]!), values);
    const other = buildTrainStep({ encoder: encodeModel(model), loss: 'MultipleNegativesRankingLoss', optimizer: createAdamW() });
    await expect(createMultiTaskTrainer({ runtime: nodeRuntime(), steps: [steps[0]!, other], lr: 1e-2 }))
      .rejects.toThrow('[twinembed:train] trainer: parameter "embeddings.word_embeddings.weight" starts from other values in another train step; build every step from the same encoder');
  });
});
