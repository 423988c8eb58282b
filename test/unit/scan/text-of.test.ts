import { describe, expect, it } from 'vitest';
import { textOf } from '../../../src/scan/text-of.js';

describe('textOf', () => {
  it('is the one string of a value that holds one, and empty for a value with none', () => {
    expect(textOf('bare')).toBe('bare');
    expect(textOf({ structuredContent: { n: 1, s: 'only' } })).toBe('only');
    expect(textOf({ content: [], isError: false, count: 3 })).toBe('');
    expect(textOf(undefined)).toBe('');
  });

  it('joins several strings with newlines, model-facing keys first and _meta last', () => {
    const result = { _meta: { note: 'meta' }, structuredContent: { a: 'structured' }, content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] };
    expect(textOf(result)).toBe('one\ntext\ntwo\ntext\nstructured\nmeta');
    expect(textOf({ content: [{ type: 'text', text: 'Echo: x' }] })).toBe('Echo: x\ntext');
  });

  it('leaves binary payloads out: a resource blob, an image or audio item data, but not other data', () => {
    const result = {
      content: [
        { type: 'image', data: 'aGVsbG8=', mimeType: 'image/png' },
        { type: 'resource', resource: { uri: 'file:///a', blob: 'AAAA' } },
        { type: 'text', text: 'said', data: 'kept' },
      ],
    };
    expect(textOf(result)).toBe('image\nimage/png\nresource\nfile:///a\nsaid\ntext\nkept');
  });

  it('keeps the head and tail of a very long string, and caps the whole text at 1 MiB', () => {
    const long = `${'a'.repeat(100_000)}${'b'.repeat(100_000)}`;
    const one = textOf(long);
    expect(one).toBe(`${'a'.repeat(64 * 1024)}\n${'b'.repeat(64 * 1024)}`);
    const many = textOf(Array.from({ length: 20 }, () => long));
    expect(many.length).toBe(1024 * 1024);
    expect(many.startsWith(one)).toBe(true);
  });
});
