/**
 * Terminal safety for anything rea prints for an operator (status, audit tail, doctor, tofu diff).
 * Text we print often comes from downstreams, tool arguments or the audit log, so it can carry
 * escape sequences that recolour, move the cursor, rewrite the title, hide lines or plant OSC 8
 * links (THREAT_MODEL.md, terminal injection). Removing the introducer (ESC, CSI, OSC, …) defuses
 * the whole sequence: what follows it is plain printable text.
 */

export interface NeutralizeOptions {
  /** Keep `\n` as is (multi-line output such as a diff). Default: escaped. */
  readonly keepNewlines?: boolean;
  /** Keep `\t` as is. Default: escaped. */
  readonly keepTabs?: boolean;
}

/**
 * C0 controls, DEL, C1 controls (0x9b is the 8-bit CSI), the bidi embedding/override/isolate
 * controls used for "Trojan Source" reordering, and line/paragraph separators that some terminals
 * and editors render as line breaks.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_TEST = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\u001b': '\\x1b' };

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Replace every control, escape and bidi character with a visible escape such as `\x1b` or `\u202e`. */
export function neutralizeTerminal(text: string, options: NeutralizeOptions = {}): string {
  // Common case: nothing to do, and no allocation.
  if (!UNSAFE_TEST.test(text)) return text;
  const keepNewlines = options.keepNewlines === true;
  const keepTabs = options.keepTabs === true;
  return text.replace(UNSAFE, (ch) => {
    if (ch === '\n' && keepNewlines) return ch;
    if (ch === '\t' && keepTabs) return ch;
    return visible(ch);
  });
}

/** Whether `text` holds anything `neutralizeTerminal` would change (with default options). */
export function hasTerminalControls(text: string): boolean {
  return UNSAFE_TEST.test(text);
}
