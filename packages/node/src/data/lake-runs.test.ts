// readLakeRuns on small runs written here in Lake's layout (tiny PNGs: only the paths matter to it).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { encodePng } from './encode-png.js';
import { readLakeRuns } from './lake-runs.js';

const newDir = tempDirs('lake-runs');
const png = encodePng({ data: Uint8Array.of(0, 255, 255, 0), width: 2, height: 2, channels: 1 });
const two = (n: number) => String(n).padStart(2, '0');

/** root/name with `ways` training classes and test items; `labels` is class_labels.txt (default: item k → class k). */
function writeRun(root: string, name: string, ways: number, labels?: string): string {
  const dir = join(root, name);
  for (const sub of ['training', 'test']) mkdirSync(join(dir, sub), { recursive: true });
  for (let k = 1; k <= ways; k++) {
    writeFileSync(join(dir, 'training', `class${two(k)}.png`), png);
    writeFileSync(join(dir, 'test', `item${two(k)}.png`), png);
  }
  const text = labels ?? Array.from({ length: ways }, (_, k) => `${name}/test/item${two(k + 1)}.png ${name}/training/class${two(k + 1)}.png\n`).join('');
  writeFileSync(join(dir, 'class_labels.txt'), text);
  return dir;
}

describe('readLakeRuns', () => {
  test('a folder of runs: run folders in name order, training images sorted, trials in file order', async () => {
    const root = newDir();
    writeRun(root, 'run02', 2);
    writeRun(root, 'run01', 3, 'run01/test/item02.png run01/training/class03.png\r\nrun01/test/item01.png   run01/training/class01.png\r\n\r\n');
    mkdirSync(join(root, 'notes')); // a folder without class_labels.txt is not a run
    const runs = await readLakeRuns(root);
    expect(runs.map((r) => r.name)).toEqual(['run01', 'run02']);
    expect(runs[0]!.training).toEqual([1, 2, 3].map((k) => join(root, 'run01', 'training', `class0${k}.png`)));
    expect(runs[0]!.trials).toEqual([
      { item: join(root, 'run01', 'test', 'item02.png'), answer: 2 },
      { item: join(root, 'run01', 'test', 'item01.png'), answer: 0 },
    ]);
    expect(runs[1]!.trials.map((t) => t.answer)).toEqual([0, 1]);
  });

  test('one run folder: paths still relative to the folder holding it', async () => {
    const runs = await readLakeRuns(writeRun(newDir(), 'run07', 2));
    expect(runs.map((r) => [r.name, r.trials.length])).toEqual([['run07', 2]]);
  });

  test('a malformed line, a missing image, a class outside training/, a repeated item: named by line', async () => {
    const cases: [string, RegExp][] = [
      ['run01/test/item01.png run01/training/class01.png\nrun01/test/item02.png\n', /line 2: expected "<test image> <training image>" \(e\.g\. "run01\/test\/item01\.png run01\/training\/class17\.png"\), got "run01\/test\/item02\.png"$/],
      ['run01/test/item01.png run01/training/class09.png\n', /line 1: "run01\/training\/class09\.png" is missing \(expected an image at ".*class09\.png", paths relative to the folder holding the run\)$/],
      ['run01/test/item01.png run01/test/item02.png\n', /line 1: expected the class "run01\/test\/item02\.png" to be an image of ".*run01\/training", got a file elsewhere$/],
      ['run01/test/item01.png run01/training/class01.png\nrun01/test/item01.png run01/training/class02.png\n', /line 2: test item "run01\/test\/item01\.png" is listed twice \(also on line 1\)$/],
    ];
    for (const [labels, message] of cases) {
      const root = newDir();
      writeRun(root, 'run01', 2, labels);
      await expect(readLakeRuns(root)).rejects.toThrow(message);
    }
  });

  test('a run with no trials, a run without training images, a folder without runs', async () => {
    const empty = newDir();
    writeRun(empty, 'run01', 2, '\n\n');
    await expect(readLakeRuns(empty)).rejects.toThrow(/^\[twinembed:data\] ".*run01\/class_labels\.txt": expected one line per test item, got no trials$/);
    const noTraining = newDir();
    writeRun(noTraining, 'run01', 0, '');
    await expect(readLakeRuns(noTraining)).rejects.toThrow(/^\[twinembed:data\] run "run01": expected the training images \(class01\.png, …\) in ".*training", got no PNG or JPEG files$/);
    const none = newDir();
    await expect(readLakeRuns(none)).rejects.toThrow(`[twinembed:data] Lake runs "${none}": expected run folders (run01, …) each holding class_labels.txt, training/ and test/, or one such run folder, got no class_labels.txt in it or its subfolders`);
    await expect(readLakeRuns(join(none, 'absent'))).rejects.toThrow(`[twinembed:data] Lake runs "${join(none, 'absent')}": expected a folder of runs (run01, …) or one run folder, got nothing there`);
  });
});
