// Panel 2: fine-tune the image encoder on the built-in glyphs or the enrolled drawings, with the
// loss plotted live, steps/s, the provider running the train step, and one-shot accuracy and
// held-out loss before and after. The fine-tuned model then replaces the page's image model.
import type { TwinembedClient, WebRuntimeOptions } from '@twinembed/web';
import { byId, element, format, onAction } from './dom.js';
import { builtinSet, enrolledSet, type ExampleSet } from './example-sets.js';
import { fineTune, type FineTuneLoss } from './fine-tune.js';
import type { Gallery } from './gallery.js';
import { openImageModel, type ImageModel } from './image-model.js';
import { createLossPlot, type LossPlot } from './loss-plot.js';
import { oneShotAccuracy, type Accuracy } from './one-shot-accuracy.js';
import { describeProvider } from './runtime-options.js';

export interface FineTuneContext {
  client: TwinembedClient;
  /** Where embedders run. */
  runtime: WebRuntimeOptions;
  /** Where the train step runs, and why when it differs. */
  training: { runtime: WebRuntimeOptions; note?: string };
  gallery: Gallery;
  currentModel(): ImageModel;
  useModel(model: ImageModel): Promise<void>;
}

const share = (a: Accuracy) => `${format(a.correct / a.total, 2)} (${a.correct}/${a.total})`;

/** Accuracy is measured on the enrolled drawings (when there are two classes or more) and on the training set. */
function accuracySets(gallery: Gallery, trainedOn: ExampleSet): ExampleSet[] {
  const enrolled = gallery.enrolled.size >= 2 ? [enrolledSet(gallery.enrolled)] : [];
  return trainedOn.name === 'enrolled drawings' ? enrolled : [...enrolled, trainedOn];
}

async function measure(client: TwinembedClient, model: ImageModel, sets: readonly ExampleSet[]): Promise<Accuracy[]> {
  const found: Accuracy[] = [];
  for (const set of sets) found.push(await oneShotAccuracy(client, model, set));
  return found;
}

/** One row per set: "name: before → after", with the shares in data-before and data-after. */
function showAccuracy(sets: readonly ExampleSet[], before: readonly Accuracy[], after?: readonly Accuracy[]): void {
  byId('accuracy', HTMLElement).replaceChildren(...sets.map((set, i) => {
    const text = `${set.name}: ${share(before[i]!)}${after ? ` → ${share(after[i]!)}` : ''}`;
    const data: Record<string, string> = { 'data-set': set.name, 'data-before': String(before[i]!.correct / before[i]!.total) };
    if (after) data['data-after'] = String(after[i]!.correct / after[i]!.total);
    return element('div', text, data);
  }));
}

/** Sets an output's text and its data-* attributes (which the browser test reads). */
function show(id: string, text: string, data: Record<string, string> = {}): void {
  const el = byId(id, HTMLElement);
  el.textContent = text;
  Object.assign(el.dataset, data);
}

function chosenSet(gallery: Gallery): ExampleSet {
  if (byId('train-source', HTMLSelectElement).value !== 'enrolled') return builtinSet();
  if (gallery.enrolled.size < 2) throw new Error('Enroll at least two classes to fine-tune on your drawings.');
  return enrolledSet(gallery.enrolled);
}

function chosenSteps(): number {
  const raw = byId('train-steps', HTMLInputElement).value;
  const steps = Number(raw);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`Steps: expected a whole number ≥ 1, got "${raw}".`);
  return steps;
}

async function run(context: FineTuneContext, plot: LossPlot, status: HTMLElement, signal: AbortSignal): Promise<void> {
  const [set, steps, loss] = [chosenSet(context.gallery), chosenSteps(), byId('train-loss', HTMLSelectElement).value as FineTuneLoss];
  plot.reset();
  status.textContent = 'Measuring one-shot accuracy…';
  const model = context.currentModel();
  const evaluated = accuracySets(context.gallery, set);
  const before = await measure(context.client, model, evaluated);
  showAccuracy(evaluated, before);
  status.textContent = `Fine-tuning with ${loss} on the ${set.name}…`;
  const started = performance.now();
  const result = await fineTune({
    client: context.client, runtime: context.training.runtime, model, set, loss, steps, signal,
    onStarted: (trainer) => show('train-provider', [describeProvider(trainer), context.training.note].filter(Boolean).join(' — '), { provider: trainer.executionProvider }),
    onProgress: (p) => {
      plot.add(p.loss);
      show('train-step', `${p.step} / ${steps}`);
      show('train-rate', format(p.stepsPerSecond, 2));
    },
  });
  const { before: lossBefore, after: lossAfter } = result.heldOut;
  show('held-out-loss', `${format(lossBefore, 4)} → ${format(lossAfter, 4)}`, { before: String(lossBefore), after: String(lossAfter) });
  const tuned = await openImageModel(context.client, result.files, context.runtime);
  showAccuracy(evaluated, before, await measure(context.client, tuned, evaluated));
  await context.useModel(tuned);
  status.textContent = `Done: ${result.losses.length} steps in ${format((performance.now() - started) / 1000, 1)} s. The page now uses the fine-tuned encoder.`;
}

export function mountFineTunePanel(context: FineTuneContext): void {
  const panel = byId('fine-tune', HTMLElement);
  const plot = createLossPlot(byId('loss-plot', SVGSVGElement));
  const status = byId('train-status', HTMLParagraphElement);
  const stop = byId('stop', HTMLButtonElement);
  let controller: AbortController | undefined;
  stop.addEventListener('click', () => controller?.abort());

  onAction(byId('train', HTMLButtonElement), status, async () => {
    panel.dataset.state = 'running';
    controller = new AbortController();
    stop.disabled = false;
    try {
      await run(context, plot, status, controller.signal);
      panel.dataset.state = 'done';
    } catch (error) {
      panel.dataset.state = 'error';
      throw error;
    } finally {
      stop.disabled = true;
    }
  });
}
