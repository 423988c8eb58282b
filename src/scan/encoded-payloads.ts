/**
 * Payloads hidden in base64, hex or URL-encoding (THREAT_MODEL.md, prompt injection: encoding).
 * Finds encoded runs, decodes those that turn into readable text, and hands the decoded text back
 * for one more scan. Bounded: at most MAX_RUNS runs and MAX_DECODED characters per text, one level.
 */
import { hasLongRun } from './base64-runs.js';

const BASE64_RUN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{20,8192}={0,2}/g;
const HEX_RUN = /(?<![0-9a-fA-F])(?:0x)?[0-9a-fA-F]{24,8192}(?![0-9a-fA-F])/g;
// Hex bytes apart (`49 67 6e`, `49:67:6e`, `\\x49\\x67`, `0x49, 0x67`, `4967 6e6f`): printable ASCII bytes
// start with 2–7, so prose rarely gets past the first character; each group must end in a separator.
const HEX_GROUPS = /(?:(?:\\x|0x)?(?:[2-7][0-9a-fA-F]){1,4}(?:[ ,:]{1,2}|(?=\\x))){11,4096}(?:\\x|0x)?(?:[2-7][0-9a-fA-F]){1,4}/g;
// Each repetition ends in an escape and the filler class has no `%`, so the run is matched without backtracking.
const URL_RUN = /(?:[A-Za-z0-9._~!*'()+,;:=@/?&-]{0,40}%[0-9a-fA-F]{2}){3,2048}[A-Za-z0-9._~!*'()+,;:=@/?&-]{0,40}/g;
const MAX_RUNS = 32;
const MAX_DECODED = 64 * 1024;

/** Decoded texts worth rescanning (mostly printable, with letters and a space). */
export function decodePayloads(text: string): string[] {
  const out: string[] = [];
  let budget = MAX_DECODED;
  const take = (decoded: string | undefined): void => {
    if (decoded === undefined || budget <= 0) return;
    out.push(decoded.slice(0, budget));
    budget -= decoded.length;
  };
  // Hex runs are base64-class runs too, so one cheap check gates both; URL runs need a `%`.
  const passes = [];
  if (hasLongRun(text)) passes.push([BASE64_RUN, fromBase64] as const, [HEX_RUN, fromHex] as const);
  if (text.includes('%')) passes.push([URL_RUN, fromUrl] as const);
  // Readable text in hex bytes holds a space (`20`) and an `e` (`65`): two indexOf calls spare most texts the regex.
  if (text.includes('20') && text.includes('65')) passes.push([HEX_GROUPS, fromHexGroups] as const);
  for (const [re, decode] of passes) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    let runs = 0;
    while ((m = re.exec(text)) !== null && runs++ < MAX_RUNS && budget > 0) take(decode(m[0]));
  }
  return out;
}

function fromBase64(run: string): string | undefined {
  if (run.length % 4 === 1) return undefined;
  return readable(Buffer.from(run, /[-_]/.test(run) ? 'base64url' : 'base64'));
}

function fromHex(run: string): string | undefined {
  const hex = run.startsWith('0x') ? run.slice(2) : run;
  return hex.length % 2 === 0 ? readable(Buffer.from(hex, 'hex')) : undefined;
}

function fromHexGroups(run: string): string | undefined {
  return fromHex(run.replace(/\\x|0x|[ ,:]/g, ''));
}

function fromUrl(run: string): string | undefined {
  try {
    return decodeURIComponent(run.replace(/\+/g, ' '));
  } catch {
    // Malformed escapes: not a payload a model would decode either.
    return undefined;
  }
}

function readable(bytes: Buffer): string | undefined {
  if (bytes.length < 12) return undefined;
  let printable = 0;
  let spaces = 0;
  for (const b of bytes) {
    if (b >= 0x20 && b < 0x7f) printable++;
    else if (b === 0x0a || b === 0x0d || b === 0x09) printable++;
    if (b === 0x20) spaces++;
  }
  return printable / bytes.length >= 0.95 && spaces > 0 ? bytes.toString('utf8') : undefined;
}
