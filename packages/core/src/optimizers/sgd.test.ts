import { describe, expect, test } from 'vitest';
import { createSgd } from './sgd.js';

describe('SGD', () => {
  test('state and scalars follow the options', () => {
    expect(createSgd().stateNames).toEqual([]);
    expect(createSgd({ momentum: 0.9 }).stateNames).toEqual(['momentum_buffer']);
    expect(createSgd({ momentum: 0.9 }).scalars(1, 0.1)).toEqual({ lr: 0.1 });
    // With dampening, the first step copies the gradient into the buffer (weight 1), later ones weight it 1 − τ.
    const damped = createSgd({ momentum: 0.9, dampening: 0.25 });
    expect([damped.scalars(1, 0.1), damped.scalars(2, 0.1)]).toEqual([{ lr: 0.1, grad_weight: 1 }, { lr: 0.1, grad_weight: 0.75 }]);
  });

  test('Nesterov needs momentum and no dampening, as in PyTorch', () => {
    expect(() => createSgd({ nesterov: true })).toThrow(/SGD nesterov: expected momentum > 0 and dampening 0, got momentum 0, dampening 0/);
    expect(() => createSgd({ nesterov: true, momentum: 0.9, dampening: 0.1 })).toThrow(/dampening 0\.1/);
    expect(() => createSgd({ momentum: -0.1 })).toThrow(/SGD momentum/);
  });
});
