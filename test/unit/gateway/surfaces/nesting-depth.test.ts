import { describe, expect, it } from 'vitest';
import { exceedsDepth } from '../../../../src/gateway/surfaces/nesting-depth.js';

/** `levels` objects or arrays nested in one another, innermost holding a string. */
function nested(levels: number, as: 'object' | 'array' | 'mixed'): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i += 1) {
    const asArray = as === 'array' || (as === 'mixed' && i % 2 === 0);
    value = asArray ? [1, value, null] : { a: 'x', b: value, c: null };
  }
  return value;
}

describe('exceedsDepth', () => {
  it('allows exactly max levels of objects, arrays or both, and refuses one more', () => {
    for (const as of ['object', 'array', 'mixed'] as const) {
      expect(exceedsDepth(nested(4, as), 4)).toBe(false);
      expect(exceedsDepth(nested(5, as), 4)).toBe(true);
    }
  });

  it('finds the deep branch wherever it sits among shallow ones', () => {
    const value = { first: { x: 1 }, deep: [{ y: 2 }, nested(6, 'mixed')], last: [[]] };
    expect(exceedsDepth(value, 6)).toBe(true);
    expect(exceedsDepth(value, 8)).toBe(false);
  });

  it('takes scalars and empty containers as shallow', () => {
    expect(exceedsDepth('text', 0)).toBe(false);
    expect(exceedsDepth(null, 0)).toBe(false);
    expect(exceedsDepth({}, 1)).toBe(false);
    expect(exceedsDepth([], 0)).toBe(true);
  });
});
