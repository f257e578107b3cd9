// The twinembed CLI: one commander program; every command reports errors as one line and an exit code.
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { TwinembedError } from '@twinembed/core';
import { registerInfo } from './info-command.js';
import { registerIndex } from './index-command.js';
import { registerSearch } from './search-command.js';
import { registerEmbed } from './embed-command.js';
import { registerExport } from './export-command.js';
import { registerFinetune } from './finetune-command.js';
import { registerEval } from './eval-command.js';
import { registerTrain } from './train-command.js';

// src/cli/main.ts and dist/cli/bin.js both sit two folders below the package's package.json.
const VERSION: string = createRequire(import.meta.url)('../../package.json').version;

/** Exit codes: 0 success, 1 unexpected failure (a bug), 2 bad input or usage. */
export const EXIT = { ok: 0, bug: 1, input: 2 } as const;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export function createProgram(io: CliIo): Command {
  const program = new Command('twinembed')
    .description('Embeddings, nearest-neighbour search and Siamese fine-tuning on ONNX Runtime')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  registerInfo(program, io);
  registerIndex(program, io);
  registerSearch(program, io);
  registerEmbed(program, io);
  registerExport(program, io);
  registerFinetune(program, io);
  registerEval(program, io);
  registerTrain(program, io);
  return program;
}

export async function main(argv: readonly string[], io: CliIo = stdio): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit through here with code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? EXIT.ok : EXIT.input;
    }
    if (error instanceof TwinembedError) {
      io.err(`${error.message}\n`);
      return EXIT.input;
    }
    io.err(`twinembed: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.TWINEMBED_DEBUG) io.err(`${(error as Error).stack}\n`);
    return EXIT.bug;
  }
}
