// Keeps spreads into call arguments (`Math.max(...xs)`, `out.push(...xs)`, `f.apply(null, xs)`) out of
// the library, scripts and benchmarks: each element becomes a stack slot, and a data-sized array (a
// 250,002-token vocabulary, a folder of 200,000 images) overflows V8's stack with a RangeError.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../support/paths.js';

/**
 * Test files (`*.test.ts`, test/) are not scanned: they spread fixed fixtures of known size, and an
 * overflow there fails the test loudly instead of a user's call.
 */
const SCANNED = ['packages/core/src', 'packages/node/src', 'packages/web/src', 'scripts', 'bench'];

/** Spreads over fixed-size tuples, by file and the call's start; each with why its length is bounded. */
const ALLOWED: { file: string; call: string; reason: string }[] = [
  { file: 'packages/core/src/graph/import-model.ts', call: 'new Value(', reason: 'typeAndShape returns the 2-tuple [type, shape]' },
  { file: 'packages/core/src/train/commute-relu-max-pool.ts', call: 'b.nodes.splice(i + 1, 0,', reason: 'moves the 2 nodes it has just appended' },
  { file: 'packages/core/src/conformance/reference.ts', call: 'fn(', reason: "one value per input of the elementwise op under test (1 to 3)" },
  { file: 'scripts/train-omniglot.ts', call: 'twinembed(', reason: 'a child process argv built from constant flag lists' },
  { file: 'scripts/train-omniglot.ts', call: 'evaluate(', reason: 'constant flag lists for one evaluation' },
  { file: 'scripts/omniglot-ablations.ts', call: 'twinembed(', reason: 'a child process argv built from constant flag lists' },
];

interface Spread {
  file: string;
  line: number;
  call: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else if (/\.m?tsx?$/.test(entry.name) && !/\.test\.m?tsx?$/.test(entry.name)) out.push(path);
    }
  }
  return out.sort();
}

/** `f.apply(thisArg, array)` and `Reflect.apply(f, thisArg, array)` spread an array just the same. */
function isApply(node: ts.Node): boolean {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || node.expression.name.text !== 'apply') return false;
  const reflect = ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'Reflect';
  return node.arguments.length === (reflect ? 3 : 2);
}

/** Every spread into the arguments of a call or `new`, and every `.apply` with an argument array. */
function argumentSpreads(source: string, file: string): Spread[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: Spread[] = [];
  const record = (at: ts.Node, call: ts.Node) => {
    const text = call.getText(sf).replace(/\s+/g, ' ');
    found.push({ file, line: sf.getLineAndCharacterOfPosition(at.getStart(sf)).line + 1, call: text.length > 100 ? `${text.slice(0, 97)}...` : text });
  };
  const stack: ts.Node[] = [sf];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isSpreadElement(node) && (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent))) record(node, node.parent);
    else if (isApply(node)) record(node, node);
    for (const child of node.getChildren(sf)) stack.push(child);
  }
  return found.sort((a, b) => a.line - b.line);
}

const allowed = (s: Spread) => ALLOWED.some((a) => a.file === s.file && s.call.startsWith(a.call));

describe('no spreads into call arguments', () => {
  test('the scanner finds spreads into calls, new and apply, and leaves array and object literals alone', () => {
    const source = [
      'const a = Math.max(...xs);', 'out.push(...ys);', 'new Set(...zs);', 'String.fromCharCode.apply(null, bytes);',
      'const b = [...xs, ...ys];', 'const c = { ...o };', 'function f(...rest: number[]) { return rest; }', 'f.apply(null);',
    ].join('\n');
    expect(argumentSpreads(source, 'x.ts').map((s) => `${s.line}: ${s.call}`)).toEqual([
      '1: Math.max(...xs)', '2: out.push(...ys)', '3: new Set(...zs)', '4: String.fromCharCode.apply(null, bytes)',
    ]);
  });

  test('none in the library, scripts and benchmarks, outside the allow-list of fixed-size tuples', () => {
    const spreads = SCANNED.flatMap((dir) => sourceFiles(join(REPO_ROOT, dir)))
      .flatMap((path) => argumentSpreads(readFileSync(path, 'utf8'), relative(REPO_ROOT, path).split('\\').join('/')));
    const offending = spreads.filter((s) => !allowed(s)).map((s) => `${s.file}:${s.line}  ${s.call}`);
    expect(offending, `spread into call arguments (use a loop or reduce; a fixed-size tuple goes into ALLOWED with its reason):\n${offending.join('\n')}`).toEqual([]);
    // An entry that no longer matches anything is stale: remove it, so the list stays the few that are needed.
    const stale = ALLOWED.filter((a) => !spreads.some((s) => a.file === s.file && s.call.startsWith(a.call)));
    expect(stale).toEqual([]);
  });
});
