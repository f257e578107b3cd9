// --overwrite and the output rule, said the same way in the --help of every command that writes.
import { Option } from 'commander';

/** The flag of commands that write a folder. */
export function overwriteOption(): Option {
  return new Option('--overwrite', 'replace an --out folder twinembed did not write (never one that is, holds or is inside an input)');
}

/** Printed after the options of commands that write a folder. */
export const FOLDER_OUTPUT_RULE = `
Output: --out is written whole into a temporary folder beside it, which then takes its place, so an
interrupted or failed run leaves --out as it was. An existing --out is replaced only when it is empty
or twinembed wrote it (its .twinembed-output lists every entry), otherwise with --overwrite; an --out
that is, holds or is inside an input is refused.
`;

/** Printed after the options of commands that write a file. */
export const FILE_OUTPUT_RULE = `
Output: --out is written to a temporary file beside it, then renamed into place (a pipe or a device
such as /dev/stdout is written directly). An existing file is replaced unless it is an input; an
--out that is, or is inside, an input is refused.
`;
