/** Deeper than any real tool argument; deep enough to refuse values built to exhaust the stack. */
export const MAX_ARGUMENT_DEPTH = 64;

/** Whether a JSON value nests deeper than `max`, checked iteratively so the check itself cannot overflow. */
export function exceedsDepth(value: unknown, max = MAX_ARGUMENT_DEPTH): boolean {
  if (value === null || typeof value !== 'object') return false;
  // Two parallel stacks and indexed loops: no tuple, iterator or values list per object (every call pays this).
  const values: object[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const current = values.pop()!;
    const depth = depths.pop()!;
    if (depth >= max) return true;
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i += 1) {
        const child: unknown = current[i];
        if (child !== null && typeof child === 'object') {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in current) {
        if (!Object.hasOwn(current, key)) continue;
        const child: unknown = (current as Record<string, unknown>)[key];
        if (child !== null && typeof child === 'object') {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}
