// What scripts/train-omniglot.ts and scripts/omniglot-ablations.ts share: where the data is, the
// validation alphabets (chosen once, by seed 0 among those with ≥ 20 characters, and fixed here),
// the recipe's common flags, and running the CLI in-process.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../packages/node/src/cli/main.js';
import { dataPath } from '../../test/support/paths.js';

export const OMNIGLOT = dataPath('omniglot28', 'background');

/** Held out of training; validation (checkpoint choice) and the reported figures are on these only. */
export const VALIDATION_ALPHABETS = ['Arcadian', 'Hebrew', 'Japanese_(hiragana)', 'Mkhedruli_(Georgian)', 'Tifinagh'] as const;

/** Flags every recipe shares: conv4 on 28×28, the held-out alphabets, 20-way 1-shot validation within one alphabet. */
export const COMMON_FLAGS = [
  '--data', OMNIGLOT, '--encoder', 'conv4', '--val-group-names', VALIDATION_ALPHABETS.join(','), '--val-within-alphabet', '--val-ways', '20',
] as const;

export function requireOmniglot(): void {
  if (!existsSync(OMNIGLOT)) {
    console.log(`skipped: the Omniglot background set is not at ${OMNIGLOT} (set TWINEMBED_DATA)`);
    process.exit(0);
  }
}

/** Runs `twinembed …` in this process; echoes the command and its output, returns stdout, throws on a non-zero exit. */
export async function twinembed(...argv: string[]): Promise<string> {
  let out = '';
  console.log(`$ twinembed ${argv.map((a) => (/[\s()]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  const code = await main(argv, { out: (t) => { out += t; process.stdout.write(t); }, err: (t) => process.stderr.write(t) });
  if (code !== 0) throw new Error(`twinembed ${argv[0]} exited ${code}`);
  return out;
}

/** The validation alphabets alone as an image folder (copied), for `twinembed eval`. */
export function validationFolder(dir: string): string {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    for (const alphabet of VALIDATION_ALPHABETS) cpSync(join(OMNIGLOT, alphabet), join(dir, alphabet), { recursive: true });
  }
  return dir;
}
