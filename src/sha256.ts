import * as crypto from 'node:crypto';

/**
 * One-shot hashing (Node 20.12+) skips the Hash object createHash builds per call: about half the
 * cost for an audit record, which is hashed twice per governed call (its arguments and its line).
 */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;

/** SHA-256 as lowercase hex: audit hashes and digests, pins, key and cursor ids all use this one. */
export function sha256Hex(data: string | Uint8Array): string {
  return oneShot === undefined ? crypto.createHash('sha256').update(data).digest('hex') : oneShot('sha256', data, 'hex');
}
