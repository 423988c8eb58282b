/**
 * Call ids: random (version 4) UUIDs, as `crypto.randomUUID` makes them, from a pool of CSPRNG bytes
 * written out as one flat string. `randomUUID` builds each id from some twenty string pieces
 * (~570 bytes of garbage per call); this builds none (issue 11, allocation per call).
 */
import { randomFillSync } from 'node:crypto';

const IDS_PER_POOL = 256;
const HEX = Buffer.from('0123456789abcdef', 'latin1');
const text = Buffer.alloc(36);
let pool = Buffer.alloc(0);
let used = IDS_PER_POOL;

export function newCallId(): string {
  if (used === IDS_PER_POOL) {
    pool = randomFillSync(Buffer.allocUnsafe(16 * IDS_PER_POOL));
    used = 0;
  }
  const at = used * 16;
  used += 1;
  let out = 0;
  for (let i = 0; i < 16; i += 1) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[out++] = 0x2d; // '-'
    let byte = pool[at + i]!;
    if (i === 6) byte = (byte & 0x0f) | 0x40; // version 4
    else if (i === 8) byte = (byte & 0x3f) | 0x80; // RFC 4122 variant
    text[out++] = HEX[byte >> 4]!;
    text[out++] = HEX[byte & 0x0f]!;
  }
  return text.toString('latin1', 0, 36);
}
