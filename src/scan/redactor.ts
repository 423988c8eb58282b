/**
 * Secret redaction for every string rea emits or stores (THREAT_MODEL.md, secret leakage). Compiled
 * once per policy; each call scans built-in patterns (prefiltered by keyword), user patterns, the
 * exact values the gateway injected into children, and base64 runs that decode to a secret.
 * Records say where and which pattern, never the value.
 */
import { mergeRanges, type MatchRange } from './bounded-match.js';
import { scanPatterns, USER_REGEX_GUARD, type PatternSet } from './pattern-scan.js';
import { collectExactValues, expandExactValues, type Literal } from './exact-values.js';
import { findBase64Secrets } from './base64-secrets.js';
import type { CompiledUserPattern } from './user-patterns.js';

/** Replaces a whole string whose scan could not finish in time: never let an unscanned value out. */
export const TIMEOUT_SENTINEL = '[REDACTED: pattern timeout]';
export const DEFAULT_MATCH_TIMEOUT_MS = 100;

export function redactionMark(pattern: string): string {
  return `[REDACTED:${pattern}]`;
}

export interface Redaction {
  readonly path: string;
  readonly pattern: string;
}

/** Recorded in audit metadata when a scan hits its bound: sizes only, never the input. */
export interface TimeoutEvent {
  readonly event: 'redact.regex_timeout';
  readonly path: string;
  readonly pattern: string;
  readonly input_bytes: number;
  readonly timeout_ms: number;
}

export interface StringRedaction {
  readonly value: string;
  /** Names of the patterns that matched (deduplicated). */
  readonly patterns: string[];
  /** Set when the bound was hit; `value` is then TIMEOUT_SENTINEL. */
  readonly timedOutPattern?: string;
}

export interface ValueRedaction<T = unknown> {
  readonly value: T;
  readonly redactions: Redaction[];
  readonly timeouts: TimeoutEvent[];
}

export interface RedactorOptions {
  readonly userPatterns?: readonly CompiledUserPattern[];
  readonly matchTimeoutMs?: number;
  /** Secret values the gateway passes to children through `env`. */
  readonly exactValues?: readonly string[];
}

export interface Redactor {
  readonly matchTimeoutMs: number;
  redactString(text: string): StringRedaction;
  /** Walks JSON values; returns a copy where something changed, the same object otherwise. */
  redactValue<T>(value: T, path?: string): ValueRedaction<T>;
}

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const matchTimeoutMs = options.matchTimeoutMs ?? DEFAULT_MATCH_TIMEOUT_MS;
  const set: PatternSet = { user: options.userPatterns ?? [] };
  if (set.user.length > 0) USER_REGEX_GUARD.warm();
  const literals: Literal[] = expandExactValues(options.exactValues ?? []);

  function redactString(text: string): StringRedaction {
    return found(text) ?? { value: text, patterns: [] };
  }

  /** What redactString reports, or undefined when there is nothing to redact (no result built). */
  function found(text: string): StringRedaction | undefined {
    if (text.length < 4) return undefined;
    const ranges: MatchRange[] = [];
    collectExactValues(text, literals, ranges);
    const failed = scanPatterns(text, set, matchTimeoutMs, ranges) ?? findBase64Secrets(text, set, matchTimeoutMs, ranges);
    if (failed !== undefined) return { value: TIMEOUT_SENTINEL, patterns: [failed], timedOutPattern: failed };
    if (ranges.length === 0) return undefined;
    const patterns = [...new Set(ranges.map((r) => r.pattern))];
    return { value: applyRanges(text, mergeRanges(ranges)), patterns };
  }

  /**
   * Walks JSON values. A string's path is built only when something in it is reported (a redaction
   * or a timeout): most strings have nothing to report, and building every path (and an entries
   * list per object) was a fair share of each call's allocation (issue 11). `at` holds the keys
   * from the root to the node being walked.
   */
  function redactValue<T>(value: T, path = ''): ValueRedaction<T> {
    const redactions: Redaction[] = [];
    const timeouts: TimeoutEvent[] = [];
    const at: (string | number)[] = [path];
    const walk = (node: unknown): unknown => {
      if (typeof node === 'string') {
        const r = found(node);
        if (r === undefined) return node;
        const where = pathOf(at);
        for (const pattern of r.patterns) redactions.push({ path: where, pattern });
        if (r.timedOutPattern !== undefined) {
          timeouts.push({ event: 'redact.regex_timeout', path: where, pattern: r.timedOutPattern, input_bytes: Buffer.byteLength(node), timeout_ms: matchTimeoutMs });
        }
        return r.value;
      }
      if (Array.isArray(node)) {
        let copy: unknown[] | undefined;
        for (let i = 0; i < node.length; i += 1) {
          const item: unknown = node[i];
          at.push(i);
          const next = walk(item);
          at.pop();
          if (next !== item) (copy ??= [...node])[i] = next;
        }
        return copy ?? node;
      }
      if (node !== null && typeof node === 'object') {
        let copy: Record<string, unknown> | undefined;
        const object = node as Record<string, unknown>;
        for (const key in object) {
          if (!Object.hasOwn(object, key)) continue;
          const item = object[key];
          at.push(key);
          const next = walk(item);
          at.pop();
          // Keys can carry secrets too (a token used as a map key): the key is renamed, never kept.
          const k = key.length >= 8 ? found(key) : undefined;
          if (k !== undefined && k.value !== key) {
            at.push('[key]');
            const where = pathOf(at);
            at.pop();
            for (const pattern of k.patterns) redactions.push({ path: where, pattern });
            copy ??= { ...object };
            delete copy[key];
            copy[k.value] = next;
          } else if (next !== item) (copy ??= { ...object })[key] = next;
        }
        return copy ?? node;
      }
      return node;
    };
    return { value: walk(value) as T, redactions, timeouts };
  }

  return { matchTimeoutMs, redactString, redactValue };
}

/** The keys from the root joined with dots; an empty path so far takes the next key as it is. */
function pathOf(keys: readonly (string | number)[]): string {
  let path = String(keys[0]);
  for (let i = 1; i < keys.length; i += 1) path = path === '' ? String(keys[i]) : `${path}.${keys[i]}`;
  return path;
}

function applyRanges(text: string, ranges: readonly MatchRange[]): string {
  let out = '';
  let at = 0;
  for (const r of ranges) {
    out += text.slice(at, r.start) + redactionMark(r.pattern);
    at = r.end;
  }
  return out + text.slice(at);
}
