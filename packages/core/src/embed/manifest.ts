// `twinembed.json`: the few facts about a model directory that cannot be inferred from the
// ONNX file or the sentence-transformers configs. Validated once, with every problem reported.
// Written with zod/mini (functional, tree-shakable): classic zod would add ~430 kB to the browser bundle.
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { fail } from '../errors.js';
import { INKS } from '../image/ink.js';
import { RESIZE_FILTERS } from '../image/resample.js';

export const POOLINGS = ['mean', 'cls', 'max', 'last_token', 'none'] as const;
export type Pooling = (typeof POOLINGS)[number];

const positiveInt = () => z.number().check(z.int(), z.positive());
const name = () => z.optional(z.string().check(z.minLength(1)));

const imageSchema = z.strictObject({
  /** Target size: one number for a square, or [height, width]. Default: the model input's fixed size. */
  size: z.optional(z.union([positiveInt(), z.tuple([positiveInt(), positiveInt()])], { error: 'expected a positive integer or [height, width]' })),
  channels: z.optional(z.literal([1, 3])),
  layout: z.optional(z.enum(['nchw', 'nhwc'])),
  /** Pixels are first scaled to [0, 1] by `scale` (default 1/255), then (x − mean) / std per channel. */
  scale: z.optional(z.number().check(z.positive())),
  mean: z.optional(z.array(z.number()).check(z.minLength(1), z.maxLength(3))),
  std: z.optional(z.array(z.number().check(z.positive())).check(z.minLength(1), z.maxLength(3))),
  /** 1 − x after scaling: dark strokes on light paper → MNIST-style light on dark. */
  invert: z.optional(z.boolean()),
  /** How other sizes are resized: "area" (default; exact area average when shrinking) or "bilinear". */
  resize: z.optional(z.enum(RESIZE_FILTERS)),
  /** The strokes of the images this model takes, before `invert`: "light" on dark (MNIST) or "dark" on light paper (Lake's runs). */
  ink: z.optional(z.enum(INKS)),
});

const manifestSchema = z.strictObject({
  /** The .onnx file, relative to the directory, when it is not model.onnx (a folder of several exports). */
  model: name(),
  /** The folder holding tokenizer.json and tokenizer_config.json, relative to the directory (e.g. "hf"). */
  tokenizer: name(),
  modality: z.optional(z.enum(['text', 'image'])),
  /** Which model input gets what, by input name. */
  inputs: z.optional(z.strictObject({ ids: name(), mask: name(), tokenTypes: name(), pixels: name() })),
  /** The embedding: any graph output, or any intermediate tensor by name. */
  output: name(),
  pooling: z.optional(z.enum(POOLINGS)),
  normalize: z.optional(z.boolean()),
  maxLength: z.optional(positiveInt()),
  image: z.optional(imageSchema),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ImageManifest = z.infer<typeof imageSchema>;

// zod/mini loads no locale; passing English per parse (not via the global z.config) keeps the
// messages those of classic zod without changing other zod users in the same app.
const englishMessages = en().localeError;

function describeIssue(issue: z.core.$ZodIssue & { input?: unknown }): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  const got = issue.code === 'unrecognized_keys' || issue.input === undefined ? '' : `, got ${JSON.stringify(issue.input)}`;
  return `${where}: ${issue.message}${got}`;
}

/** Parses a manifest (text or already-parsed JSON); every schema violation is listed in one error. */
export function parseManifest(source: string | unknown, file = 'twinembed.json'): Manifest {
  let json: unknown = source;
  if (typeof source === 'string') {
    try {
      json = JSON.parse(source);
    } catch (cause) {
      fail('manifest', `${file}: expected JSON, got text that does not parse (${(cause as Error).message})`, cause);
    }
  }
  const result = z.safeParse(manifestSchema, json, { reportInput: true, error: englishMessages });
  if (result.success) return result.data;
  return fail('manifest', `${file} is not a valid twinembed manifest: ${result.error.issues.map(describeIssue).join('; ')}`);
}
