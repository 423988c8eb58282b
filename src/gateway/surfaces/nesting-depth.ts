/** Deeper than any real tool argument; deep enough to refuse values built to exhaust the stack. */
export const MAX_ARGUMENT_DEPTH = 64;

/** Whether a JSON value nests deeper than `max`, checked iteratively so the check itself cannot overflow. */
export function exceedsDepth(value: unknown, max = MAX_ARGUMENT_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
