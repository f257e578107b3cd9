// The gradient-rule table, merged once from the per-family files (a duplicate op is an error),
// and NO_GRAD: ops whose outputs carry no gradient — declared, which is not the same as missing.
import { fail } from '../../errors.js';
import type { GradRule, RuleTable } from '../grad-rule.js';
import { ELEMENTWISE_RULES } from './elementwise.js';
import { MATMUL_RULES } from './matmul.js';
import { NN_RULES } from './nn.js';
import { REDUCE_RULES } from './reduce.js';
import { SHAPE_RULES } from './shape.js';

/** Outputs are integers, booleans, shapes or piecewise constant: d/dx is zero or undefined everywhere. */
export const NO_GRAD: ReadonlySet<string> = new Set([
  'Shape', 'Size', 'Constant', 'ConstantOfShape', 'Range', 'NonZero', 'OneHot', 'EyeLike', 'RandomNormalLike', 'RandomUniformLike',
  'Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Not', 'Xor', 'IsNaN', 'IsInf',
  'ArgMax', 'ArgMin', 'Sign', 'Floor', 'Ceil', 'Round',
]);

export function mergeRules(tables: readonly RuleTable[], noGrad: ReadonlySet<string> = NO_GRAD): ReadonlyMap<string, GradRule> {
  const merged = new Map<string, GradRule>();
  for (const table of tables) {
    for (const [op, rule] of Object.entries(table)) {
      if (merged.has(op)) fail('autodiff', `gradient rule for ${op}: defined twice, expected one rule per op`);
      if (noGrad.has(op)) fail('autodiff', `gradient rule for ${op}: the op is also declared NO_GRAD`);
      merged.set(op, rule);
    }
  }
  return merged;
}

export const GRAD_RULES: ReadonlyMap<string, GradRule> = mergeRules([ELEMENTWISE_RULES, MATMUL_RULES, SHAPE_RULES, REDUCE_RULES, NN_RULES]);
