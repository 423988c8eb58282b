import { describe, expect, it } from 'vitest';
import type { ShellContext } from '../../../src/hooks/shell/context.js';
import { knownWord } from '../../../src/hooks/shell/model.js';
import { parseCommandLine } from '../../../src/hooks/shell/parse.js';
import { splitPlain } from '../../../src/hooks/shell/plain-split.js';

// The plain reader must settle a line exactly as the full parser's walk would, or not at all.
const ctx = (): ShellContext => ({ cwd: '/project', vars: new Map([['HOME', knownWord('/home/me')], ['PWD', knownWord('/project')]]), home: '/home/me', depth: 0 });

const PLAIN = [
  'ls -la',
  'git status && npm test 2>&1 | tail -n 20',
  "git commit -m 'fix: a thing' && git push -u origin feature",
  'cat a.txt > out.txt; echo "done here"',
  'npm run build >/dev/null 2>&1 || echo failed',
  'cd src && ls',
  'grep -rn "TODO" src | head -5',
  'rm -rf node_modules',
  'bash -c "cat .env"',
  'ls >&2',
  'a 2>>log',
  'ls src/*.ts',
  'wc -l *.md',
  'cat ~/notes.txt',
  'cd ~ && ls',
  'git diff HEAD~1 HEAD^',
  'echo $HOME "$PWD/x" ${HOME}/y',
  'echo $UNSET_VARIABLE_X',
  'echo ""',
  'echo a#b',
  'cat .e?v',
];

const NOT_PLAIN = ['while true; do rm -rf /; done', 'if true; then rm -rf /; fi', 'for f in a; do rm -rf /; done', 'time rm -rf /', 'ls; do rm x', 'echo $(ls)', 'echo `ls`', 'X=1 cmd', 'export X=1', 'echo {a,b}', 'ls [ab]*', '# comment', 'echo ~user', 'sleep 1 &', 'echo "a\\"b"', 'echo $1', 'cat <<EOF\nx\nEOF', 'a |& b', 'echo "$(ls)"'];

describe('the plain reader', () => {
  it.each(PLAIN)('reads %s exactly as the parser does', (line) => {
    expect(splitPlain(line, ctx())).toBeDefined();
    const plain = parseCommandLine(line, ctx(), { cacheDir: undefined });
    const full = parseCommandLine(line, ctx(), { cacheDir: undefined, alwaysFullParser: true });
    expect(plain).toEqual(full);
    expect(plain.kind).toBe('parsed');
  });

  it.each(NOT_PLAIN)('leaves %s to the parser', (line) => {
    expect(splitPlain(line, ctx())).toBeUndefined();
  });
});
