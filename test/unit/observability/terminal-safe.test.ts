import { describe, expect, it } from 'vitest';
import { hasTerminalControls, neutralizeTerminal } from '../../../src/observability/terminal-safe.js';

describe('neutralizeTerminal', () => {
  it('returns plain text unchanged', () => {
    const text = 'fs__read_file allowed in 3 ms — naïve café ✓';
    expect(neutralizeTerminal(text)).toBe(text);
    expect(hasTerminalControls(text)).toBe(false);
  });

  it('defuses CSI colour and cursor sequences by escaping the ESC introducer', () => {
    expect(neutralizeTerminal('\u001b[31mred\u001b[0m \u001b[2K\u001b[1A')).toBe('\\x1b[31mred\\x1b[0m \\x1b[2K\\x1b[1A');
  });

  it('defuses OSC title and hyperlink sequences terminated by BEL or ST', () => {
    expect(neutralizeTerminal('\u001b]0;pwned\u0007')).toBe('\\x1b]0;pwned\\x07');
    expect(neutralizeTerminal('\u001b]8;;http://evil\u001b\\click\u001b]8;;\u001b\\')).toBe(
      '\\x1b]8;;http://evil\\x1b\\click\\x1b]8;;\\x1b\\',
    );
  });

  it('escapes C1 controls including the 8-bit CSI', () => {
    expect(neutralizeTerminal('a\u009b31mb\u0085c')).toBe('a\\x9b31mb\\x85c');
  });

  it('escapes carriage return, NUL, DEL and backspace that can overwrite or hide text', () => {
    expect(neutralizeTerminal('ok\rFAKE\u0000\u007f\b')).toBe('ok\\rFAKE\\x00\\x7f\\x08');
  });

  it('escapes bidi overrides and isolates used to reorder text', () => {
    expect(neutralizeTerminal('abc\u202edcb\u2066x\u2069')).toBe('abc\\u202edcb\\u2066x\\u2069');
  });

  it('escapes newlines and tabs by default and keeps them when asked', () => {
    expect(neutralizeTerminal('a\nb\tc')).toBe('a\\nb\\tc');
    expect(neutralizeTerminal('a\nb\tc', { keepNewlines: true })).toBe('a\nb\\tc');
    expect(neutralizeTerminal('a\nb\tc', { keepNewlines: true, keepTabs: true })).toBe('a\nb\tc');
  });

  it('never lets a raw control character through for any input', () => {
    let all = '';
    for (let code = 0; code < 0x3000; code++) all += String.fromCharCode(code);
    const out = neutralizeTerminal(all);
    expect(hasTerminalControls(out)).toBe(false);
  });
});
