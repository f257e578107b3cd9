// Gradient rules for elementwise ops, one input or broadcasting: x, y, dy as in the forward
// node; every broadcasting input's gradient is summed back to its shape (c.unbroadcast).
import type { Value } from '../../graph/value.js';
import type { DataType } from '../../onnx/data-type.js';
import type { GradContext, InputGrad, RuleTable } from '../grad-rule.js';

/** A one-input op's gradient. */
const unary = (dx: () => Value): InputGrad[] => [dx];

/** max/min: dy goes to the inputs equal to y, split evenly among ties (as torch.maximum/minimum). */
function extremum(c: GradContext) {
  const { b, x, y, dy } = c;
  const masks = x.map((xi) => b.op.Cast(b.op.Equal(xi!, y[0]!), { to: (dy.type ?? 'float32') as DataType }));
  const ties = masks.length === 1 ? masks[0]! : b.node('Sum', masks)[0]!;
  return x.map((_, i) => () => c.unbroadcast(b.op.Div(b.op.Mul(dy, masks[i]!), ties), i));
}

export const ELEMENTWISE_RULES: RuleTable = {
  // dx = dy
  Identity: (c) => unary(() => c.dy),
  // dx = −dy
  Neg: (c) => unary(() => c.b.op.Neg(c.dy)),
  // dx = dy·sign(x)
  Abs: (c) => unary(() => c.b.op.Mul(c.dy, c.b.op.Sign(c.x[0]!))),
  // dx = dy·y  (y = eˣ)
  Exp: (c) => unary(() => c.b.op.Mul(c.dy, c.y[0]!)),
  // dx = dy/x
  Log: (c) => unary(() => c.b.op.Div(c.dy, c.x[0]!)),
  // dx = dy/(2y)  (y = √x)
  Sqrt: (c) => unary(() => c.b.op.Div(c.dy, c.b.op.Mul(c.y[0]!, 2))),
  // dx = −dy·y²  (y = 1/x)
  Reciprocal: (c) => unary(() => c.b.op.Neg(c.b.op.Mul(c.dy, c.b.op.Mul(c.y[0]!, c.y[0]!)))),
  // dx = dy·[y > 0]  (a mask multiply: cheaper than Where with a broadcast scalar on onnxruntime's CPU)
  Relu: (c) => unary(() => c.b.op.Mul(c.dy, c.b.op.Cast(c.b.op.Greater(c.y[0]!, 0), { to: (c.dy.type ?? 'float32') as DataType }))),
  // dx = dy·(x > 0 ? 1 : α)
  LeakyRelu: (c) => unary(() => c.b.op.Where(c.b.op.Greater(c.x[0]!, 0), c.dy, c.b.op.Mul(c.dy, c.attr('alpha', 0.01)))),
  // dx = dy·y·(1 − y)  (y = σ(x))
  Sigmoid: (c) => unary(() => c.b.op.Mul(c.dy, c.b.op.Mul(c.y[0]!, c.b.op.Sub(1, c.y[0]!)))),
  // dx = dy·(1 − y²)  (y = tanh x)
  Tanh: (c) => unary(() => c.b.op.Mul(c.dy, c.b.op.Sub(1, c.b.op.Mul(c.y[0]!, c.y[0]!)))),
  // dx = dy·σ(x)  (y = log(1 + eˣ))
  Softplus: (c) => unary(() => c.b.op.Mul(c.dy, c.b.op.Sigmoid(c.x[0]!))),
  // dx = dy·2/√π·exp(−x²)
  Erf: (c) => unary(() => c.b.op.Mul(c.dy, c.b.op.Mul(c.b.op.Exp(c.b.op.Neg(c.b.op.Mul(c.x[0]!, c.x[0]!))), 2 / Math.sqrt(Math.PI)))),
  // dx = dy·cos x
  Sin: (c) => unary(() => c.b.op.Mul(c.dy, c.b.op.Cos(c.x[0]!))),
  // dx = −dy·sin x
  Cos: (c) => unary(() => c.b.op.Neg(c.b.op.Mul(c.dy, c.b.op.Sin(c.x[0]!)))),
  // dx = dy·[min ≤ x ≤ max]  (torch.clamp); min and max get none
  Clip: (c) => [() => clipGrad(c), null, null],
  // dx = dy cast back to x's type; an integer x gets none
  Cast: (c) => [() => c.b.op.Cast(c.dy, { to: c.x[0]!.type! })],
  // dx = dy cast back to x's type; the type donor's values do not matter: zero
  CastLike: (c) => [() => c.b.op.CastLike(c.dy, c.x[0]!), 'zero'],
  // da = dy, db = dy
  Add: (c) => [() => c.unbroadcast(c.dy, 0), () => c.unbroadcast(c.dy, 1)],
  // da = dy, db = −dy  (negated after the reduction to b's shape: exact, and smaller where b broadcasts)
  Sub: (c) => [() => c.unbroadcast(c.dy, 0), () => c.b.op.Neg(c.unbroadcast(c.dy, 1))],
  // da = dy·b, db = dy·a; a·a: da = 2·dy·a, one product instead of two summed (the same values)
  Mul: (c) => (c.x[0] === c.x[1]
    ? [() => c.unbroadcast(c.b.op.Mul(c.b.op.Mul(c.dy, c.x[0]!), 2), 0), 'zero']
    : [() => c.unbroadcast(c.b.op.Mul(c.dy, c.x[1]!), 0), () => c.unbroadcast(c.b.op.Mul(c.dy, c.x[0]!), 1)]),
  // da = dy/b, db = −Σ(dy·y)/b: b is constant along the axes summed back to its shape, so it divides after the sum
  Div: (c) => [
    () => c.unbroadcast(c.b.op.Div(c.dy, c.x[1]!), 0),
    () => c.b.op.Neg(c.b.op.Div(c.unbroadcast(c.b.op.Mul(c.dy, c.y[0]!), 1), c.x[1]!)),
  ],
  // da = dy·b·a^(b−1), db = dy·y·ln a
  Pow: (c) => [
    () => c.unbroadcast(c.b.op.Mul(c.dy, c.b.op.Mul(c.x[1]!, c.b.op.Pow(c.x[0]!, c.b.op.Sub(c.x[1]!, 1)))), 0),
    () => c.unbroadcast(c.b.op.Mul(c.dy, c.b.op.Mul(c.y[0]!, c.b.op.Log(c.x[0]!))), 1),
  ],
  // dxᵢ = dy·[xᵢ = y]/#ties
  Max: extremum,
  // dxᵢ = dy·[xᵢ = y]/#ties
  Min: extremum,
  // dxᵢ = dy
  Sum: (c) => c.x.map((_, i) => () => c.unbroadcast(c.dy, i)),
  // dxᵢ = dy/n
  Mean: (c) => c.x.map((_, i) => () => c.unbroadcast(c.b.op.Div(c.dy, c.x.length), i)),
  // da = [cond]·dy, db = [¬cond]·dy; cond gets none
  Where: (c) => {
    const zero = c.b.scalar(0, c.dy.type);
    return [null, () => c.unbroadcast(c.b.op.Where(c.x[0]!, c.dy, zero), 1), () => c.unbroadcast(c.b.op.Where(c.x[0]!, zero, c.dy), 2)];
  },
};

function clipGrad(c: GradContext) {
  const { b, x } = c;
  let inside = null;
  const min = x[1] ?? (c.attr<number | undefined>('min', undefined) !== undefined ? b.scalar(c.attr('min', 0), x[0]!.type) : null);
  const max = x[2] ?? (c.attr<number | undefined>('max', undefined) !== undefined ? b.scalar(c.attr('max', 0), x[0]!.type) : null);
  if (min) inside = b.op.GreaterOrEqual(x[0]!, min);
  if (max) inside = inside ? b.op.And(inside, b.op.LessOrEqual(x[0]!, max)) : b.op.LessOrEqual(x[0]!, max);
  return inside ? b.op.Where(inside, c.dy, b.scalar(0, c.dy.type)) : c.dy;
}
