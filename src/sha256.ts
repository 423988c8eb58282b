import { createHash } from 'node:crypto';

/** SHA-256 as lowercase hex: audit hashes and digests, pins, key and cursor ids all use this one. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
