import { describe, expect, it } from 'vitest';
import { KeywordIndex, type Keyword } from '../../../src/scan/keyword-index.js';
import { SECRET_PATTERNS } from '../../../src/scan/patterns/secrets.js';
// @ts-expect-error plain ESM fixture without types
import { lookalikes, secretCases } from '../../fixtures/corpus/secrets.mjs';

// The index splits its keywords over several regexes (by kind and by first character): whatever
// the split, it must report what one `indexOf` per keyword finds.
const isWord = (ch: string | undefined): boolean => ch !== undefined && /\w/.test(ch);

function referenceHits(keywords: readonly Keyword[], index: KeywordIndex, lower: string): number[] {
  const hits: [number, number][] = [];
  for (const { text, boundary } of keywords) {
    for (let at = lower.indexOf(text); at !== -1; at = lower.indexOf(text, at + 1)) {
      if (!boundary || isWord(lower[at - 1]) !== isWord(lower[at])) hits.push([at, index.idOf(text)]);
    }
  }
  const unique = [...new Map(hits.map((h) => [h.join(), h])).values()];
  return unique.sort((a, b) => a[0] - b[0] || a[1] - b[1]).flat();
}

const byPosition = (hits: number[]): number[] => {
  const pairs: [number, number][] = [];
  for (let i = 0; i < hits.length; i += 2) pairs.push([hits[i]!, hits[i + 1]!]);
  return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]).flat();
};

const secretWords: Keyword[] = [...new Set(SECRET_PATTERNS.flatMap((p) => p.keywords ?? []))].map((text) => ({ text, boundary: false }));
const mixed: Keyword[] = [
  ...['pass', 'password', 'passw', '://', ':', '-p', ' -p', '--pass', '_auth', 'auth', 'x', 'sk-', 'sk-ant-'].map((text) => ({ text, boundary: false })),
  ...['use', 'user', '-us', 'ignore', '[system', 'sys'].map((text) => ({ text, boundary: true })),
];
const texts = [
  ...(secretCases() as { text: string }[]).map((c) => c.text),
  ...(lookalikes() as string[]),
  'mysql -u root -pS3cret --password=x; because the user uses [system] sys-admin -us14 sk-ant-xyz passpassword',
];

describe('KeywordIndex', () => {
  it.each([
    ['the secret keywords', secretWords],
    ['keywords of both kinds that are prefixes of each other and begin with letters or not', mixed],
  ] as const)('reports every occurrence of %s', (_label, keywords) => {
    const index = new KeywordIndex(keywords);
    for (const text of texts) {
      const lower = text.toLowerCase();
      const expected = referenceHits(keywords, index, lower);
      const hits = index.hits(lower);
      expect(byPosition(hits), text).toEqual(expected);
      for (let i = 2; i < hits.length; i += 2) expect(hits[i]!).toBeGreaterThanOrEqual(hits[i - 2]!);
      const found = index.found(lower);
      expect(new Set(found).size, text).toBe(found.length);
      expect([...found].sort((a, b) => a - b), text).toEqual([...new Set(expected.filter((_, i) => i % 2 === 1))].sort((a, b) => a - b));
    }
  });

  it('adds what it finds to a given list, each id once', () => {
    const index = new KeywordIndex(['ghp_', 'akia', '://']);
    expect(index.found('akia akia ghp_ akia', index.found('see https://x and akia'))).toEqual([1, 2, 0]);
  });
});
