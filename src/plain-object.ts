/** A JSON object: not null, not an array (what JSON-RPC params, `_meta`, tool arguments and results must be). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
