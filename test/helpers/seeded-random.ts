/**
 * A reproducible stream of numbers in [0, 1) from a 32-bit seed (xorshift32), so a test that picks
 * random points (where to kill a process) can name its seed and be replayed exactly.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}
