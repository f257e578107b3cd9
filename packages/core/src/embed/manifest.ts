// `twinembed.json`: the few facts about a model directory that cannot be inferred from the
// ONNX file or the sentence-transformers configs. Validated once, with every problem reported.
import { z } from 'zod';
import { fail } from '../errors.js';

export const POOLINGS = ['mean', 'cls', 'max', 'last_token', 'none'] as const;
export type Pooling = (typeof POOLINGS)[number];

const imageSchema = z.strictObject({
  /** Target size: one number for a square, or [height, width]. Default: the model input's fixed size. */
  size: z.union([z.number().int().positive(), z.tuple([z.number().int().positive(), z.number().int().positive()])], { error: 'expected a positive integer or [height, width]' }).optional(),
  channels: z.literal([1, 3]).optional(),
  layout: z.enum(['nchw', 'nhwc']).optional(),
  /** Pixels are first scaled to [0, 1] by `scale` (default 1/255), then (x − mean) / std per channel. */
  scale: z.number().positive().optional(),
  mean: z.array(z.number()).min(1).max(3).optional(),
  std: z.array(z.number().positive()).min(1).max(3).optional(),
  /** 1 − x after scaling: dark strokes on light paper → MNIST-style light on dark. */
  invert: z.boolean().optional(),
});

const manifestSchema = z.strictObject({
  /** The .onnx file, relative to the directory, when it is not model.onnx (a folder of several exports). */
  model: z.string().min(1).optional(),
  /** The folder holding tokenizer.json and tokenizer_config.json, relative to the directory (e.g. "hf"). */
  tokenizer: z.string().min(1).optional(),
  modality: z.enum(['text', 'image']).optional(),
  /** Which model input gets what, by input name. */
  inputs: z.strictObject({
    ids: z.string().min(1).optional(),
    mask: z.string().min(1).optional(),
    tokenTypes: z.string().min(1).optional(),
    pixels: z.string().min(1).optional(),
  }).optional(),
  /** The embedding: any graph output, or any intermediate tensor by name. */
  output: z.string().min(1).optional(),
  pooling: z.enum(POOLINGS).optional(),
  normalize: z.boolean().optional(),
  maxLength: z.number().int().positive().optional(),
  image: imageSchema.optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ImageManifest = z.infer<typeof imageSchema>;

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
  const result = manifestSchema.safeParse(json, { reportInput: true });
  if (result.success) return result.data;
  return fail('manifest', `${file} is not a valid twinembed manifest: ${result.error.issues.map(describeIssue).join('; ')}`);
}
