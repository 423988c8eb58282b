import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileBlockedPaths, pathCandidates, visitStrings } from '../../../src/policy/blocked-paths.js';
import { decodePathValue, normalizePath, type PathFacts } from '../../../src/policy/path-normalizer.js';
import { RealPathResolver } from '../../../src/policy/real-path.js';

const facts = (caseInsensitive = false): PathFacts => ({ bases: ['/proj/sub', '/proj'], home: '/home/u', caseInsensitive, realpath: () => undefined });

describe('path normalisation', () => {
  it('decodes repeatedly and strips file: schemes', () => {
    expect(decodePathValue('file%3A%2F%2F%2Fproj%252F.rea')).toEqual({ kind: 'ok', value: '/proj/.rea' });
  });

  it('refuses escapes that are not UTF-8', () => {
    expect(decodePathValue('%c0%ae')).toEqual({ kind: 'malformed', reason: 'percent-escapes that are not valid UTF-8' });
  });

  it('leaves a lone percent sign alone', () => {
    expect(decodePathValue('50% off')).toEqual({ kind: 'ok', value: '50% off' });
  });

  it('resolves relative paths against the server cwd and the project root', () => {
    expect(normalizePath('../.rea/HALT', facts())).toEqual({ kind: 'ok', paths: ['/proj/.rea/HALT', '/.rea/HALT'] });
  });

  it('folds case on a case-insensitive filesystem, and so does matching', () => {
    const normalized = normalizePath('.REA/Halt', facts(true));
    expect(normalized).toEqual({ kind: 'ok', paths: ['/proj/sub/.rea/halt', '/proj/.rea/halt'] });
    const rules = compileBlockedPaths(['Secrets/'], ['/Proj'], '/home/u', true);
    expect(rules.match('/proj/.rea/halt')).toBe('.rea/');
    expect(rules.match('/proj/secrets/a')).toBe('Secrets/');
    expect(compileBlockedPaths(['Secrets/'], ['/proj'], '/home/u', false).match('/proj/secrets/a')).toBeUndefined();
  });

  it('anchors patterns with a slash at the project root and lets bare names match at any depth', () => {
    const rules = compileBlockedPaths(['config/prod.yaml', '.env'], ['/proj'], '/home/u', false);
    expect(rules.match('/proj/config/prod.yaml')).toBe('config/prod.yaml');
    expect(rules.match('/proj/sub/config/prod.yaml')).toBeUndefined();
    expect(rules.match('/proj/a/b/.env')).toBe('.env');
  });

  it('checks tokens of a short command line but not multi-line content', () => {
    expect(pathCandidates('cat .rea/HALT')).toEqual(['cat .rea/HALT', '.rea/HALT']);
    expect(pathCandidates('see\n.rea/HALT')).toEqual([]);
    expect(pathCandidates('https://example.com/.env')).toEqual([]);
    expect(pathCandidates('hello world 5')).toEqual(['hello world 5']);
    expect(pathCandidates('open FILE:%2Fetc')).toEqual(['open FILE:%2Fetc', 'FILE:%2Fetc']);
  });

  it('finds every path-like token whether or not it splits the value (it skips values where none can be)', () => {
    const PATH_LIKE = /[/\\]|^[.~]|%[0-9a-fA-F]{2}|^file:/i;
    const splitAlways = (value: string): string[] =>
      /\s/.test(value) ? [value, ...value.split(/[\s;|&<>()`'"=,]+/).filter((t) => t.length > 0 && t !== value && PATH_LIKE.test(t) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(t))] : [value];
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', ' ', '/', '\\', '.', '~', '%', '2', 'F', 'f', 'i', 'l', 'e', 'E', ':', ';', '"'), { maxLength: 24 }), (chars) => {
        const value = chars.join('');
        fc.pre(value.length > 0 && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value));
        expect(pathCandidates(value)).toEqual(splitAlways(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('visits keys and values at every depth, and gives up past the depth limit', () => {
    const seen: string[] = [];
    visitStrings({ a: ['x', { b: 'y' }] }, (value) => {
      seen.push(value);
      return false;
    });
    expect(seen).toEqual(['a', 'x', 'b', 'y']);
    // Where it stopped: the trail to that value, or to that key.
    expect(visitStrings({ a: ['x', { b: 'y' }] }, (value) => value === 'y')).toEqual(['a', 1, 'b']);
    expect(visitStrings({ a: ['x', { b: 'y' }] }, (value, isKey) => isKey && value === 'b')).toEqual(['a', 1, 'b']);
    expect(visitStrings('top', () => true)).toEqual([]);
    expect(visitStrings({ a: ['x'] }, () => false)).toBe('done');
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i += 1) deep = [deep];
    expect(visitStrings(deep, () => false)).toBe('too_complex');
  });
});

/** A real temp directory holding `.rea/`, removed after `fn` whatever happens. */
function withProjectDir(fn: (root: string) => void): void {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'rea-realpath-')));
  try {
    mkdirSync(join(root, '.rea'));
    fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Back-date a directory so its listing is old enough to be trusted and cached (newer ones are "racy"). */
function age(dir: string): void {
  const old = new Date(Date.now() - 60_000);
  utimesSync(dir, old, old);
}

describe('real path resolution', () => {
  it('sees a symlink created after a directory listing was cached', () => {
    withProjectDir((root) => {
      writeFileSync(join(root, 'plain.txt'), '');
      age(root);
      const resolver = new RealPathResolver(new Map([[root, root]]));
      expect(resolver.session()(`${root}/name`)).toBe(`${root}/name`);
      symlinkSync(join(root, '.rea'), join(root, 'name'));
      expect(resolver.session()(`${root}/name/HALT`)).toBe(`${root}/.rea/HALT`);
      expect(resolver.session()(`${root}/plain.txt`)).toBe(`${root}/plain.txt`);
    });
  });

  it('sees a symlink created while the directory is too fresh to list, and after it settles', () => {
    withProjectDir((root) => {
      const resolver = new RealPathResolver(new Map([[root, root]]));
      // Just changed: walked entry by entry, and every request sees what is there now.
      expect(resolver.session()(`${root}/a`)).toBe(`${root}/a`);
      symlinkSync(join(root, '.rea'), join(root, 'a'));
      expect(resolver.session()(`${root}/a/HALT`)).toBe(`${root}/.rea/HALT`);
      // Settled: listed and cached; a change after that is still seen.
      age(root);
      expect(resolver.session()(`${root}/b`)).toBe(`${root}/b`);
      symlinkSync(join(root, '.rea'), join(root, 'b'));
      expect(resolver.session()(`${root}/b/HALT`)).toBe(`${root}/.rea/HALT`);
    });
  });

  it('follows a dangling symlink to where a write would land', () => {
    withProjectDir((root) => {
      symlinkSync(join(root, '.rea/not-yet'), join(root, 'dangling'));
      symlinkSync('loop-b', join(root, 'loop-a'));
      symlinkSync('loop-a', join(root, 'loop-b'));
      const resolve = new RealPathResolver(new Map([[root, root]])).session();
      expect(resolve(`${root}/dangling`)).toBe(`${root}/.rea/not-yet`);
      expect(resolve(`${root}/loop-a/x`)).toBeUndefined();
    });
  });
});
