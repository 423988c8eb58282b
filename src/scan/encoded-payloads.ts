/**
 * Payloads hidden in base64, hex or URL-encoding (THREAT_MODEL.md, prompt injection: encoding).
 * Finds encoded runs, decodes those that turn into readable text, and hands the decoded text back
 * for one more scan. Bounded: at most MAX_RUNS runs and MAX_DECODED characters per text, one level.
 */
import { base64Runs, runMatchEnd } from './base64-runs.js';

/** A base64 payload: a run of 20+ alphabet characters (base64Runs), its first MAX_BASE64 and its padding. */
const MAX_BASE64 = 8192;
const HEX_RUN = /(?<![0-9a-fA-F])(?:0x)?[0-9a-fA-F]{24,8192}(?![0-9a-fA-F])/g;
// Hex bytes apart (`49 67 6e`, `49:67:6e`, `\\x49\\x67`, `0x49, 0x67`, `4967 6e6f`): printable ASCII bytes
// start with 2–7, so prose rarely gets past the first character; each group must end in a separator.
const HEX_GROUPS = /(?:(?:\\x|0x)?(?:[2-7][0-9a-fA-F]){1,4}(?:[ ,:]{1,2}|(?=\\x))){11,4096}(?:\\x|0x)?(?:[2-7][0-9a-fA-F]){1,4}/g;
// Each repetition ends in an escape and the filler class has no `%`, so the run is matched without backtracking.
const URL_RUN = /(?:[A-Za-z0-9._~!*'()+,;:=@/?&-]{0,40}%[0-9a-fA-F]{2}){3,2048}[A-Za-z0-9._~!*'()+,;:=@/?&-]{0,40}/g;
const MAX_RUNS = 32;
const MAX_DECODED = 64 * 1024;

/** What most texts decode to. */
const NONE: readonly string[] = Object.freeze([]);

/** Decoded texts worth rescanning (mostly printable, with letters and a space). */
export function decodePayloads(text: string): readonly string[] {
  const runs = base64Runs(text);
  // URL runs need a `%`. Readable text in hex bytes holds a space (`20`) and an `e` (`65`): two
  // indexOf calls spare most texts the regex.
  const urlEncoded = text.includes('%');
  const hexGroups = text.includes('20') && text.includes('65');
  // Most texts have none of the three: nothing to decode, and nothing made to say so.
  if (runs.length === 0 && !urlEncoded && !hexGroups) return NONE;
  const out: string[] = [];
  let budget = MAX_DECODED;
  const take = (decoded: string | undefined): void => {
    if (decoded === undefined || budget <= 0) return;
    out.push(decoded.slice(0, budget));
    budget -= decoded.length;
  };
  const passes: [string[], (run: string) => string | undefined][] = [];
  // Hex runs are base64-alphabet runs too, so both passes read only the few runs there are.
  if (runs.length > 0) passes.push([base64Matches(text, runs), fromBase64], [hexMatches(text, runs), fromHex]);
  if (urlEncoded) passes.push([regexMatches(URL_RUN, text), fromUrl]);
  if (hexGroups) passes.push([regexMatches(HEX_GROUPS, text), fromHexGroups]);
  for (const [matches, decode] of passes) {
    for (let i = 0; i < matches.length && budget > 0; i++) take(decode(matches[i]!));
  }
  return out;
}

/** The first MAX_RUNS base64 payloads, one per run. */
function base64Matches(text: string, runs: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < runs.length && out.length < MAX_RUNS; i += 2) out.push(text.slice(runs[i]!, runMatchEnd(text, runs[i]!, runs[i + 1]!, MAX_BASE64)));
  return out;
}

/** The first MAX_RUNS hex runs: HEX_RUN inside each base64 run, whose edges are not hex digits either. */
function hexMatches(text: string, runs: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < runs.length && out.length < MAX_RUNS; i += 2) {
    const run = text.slice(runs[i]!, runs[i + 1]!);
    HEX_RUN.lastIndex = 0;
    let m: RegExpExecArray | null;
    while (out.length < MAX_RUNS && (m = HEX_RUN.exec(run)) !== null) out.push(m[0]);
  }
  return out;
}

function regexMatches(re: RegExp, text: string): string[] {
  const out: string[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (out.length < MAX_RUNS && (m = re.exec(text)) !== null) out.push(m[0]);
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
