// Runs the twinembed CLI in-process and captures what it prints, for the CLI tests.
import { main } from '../../packages/node/src/cli/main.js';

export interface CliRun { code: number; out: string; err: string }

export async function cli(...argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}
