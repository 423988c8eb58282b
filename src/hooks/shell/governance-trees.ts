import { readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { CommandFacts, Refusal } from './command-facts.js';
import { checkNameCount } from './bounds.js';
import { wordText, type Word } from './model.js';

/**
 * Commands that change governance files without naming them: removing or moving a directory that
 * holds them (`rm -rf .claude`, `rm -rf "$PWD"`, `mv .git /tmp`), or copying and moving into a
 * directory (`mv /tmp/.mcp.json .`, `cp -r /tmp/evil/.claude .`, `rsync -a /tmp/evil/ .`), where
 * the file written is the target joined with the source's name, or each of its entries.
 */
const REMOVES = /^(?:rm|rmdir|unlink|shred|srm|trash|trash-put|mv)$/;
const INTO_DIRECTORY = /^(?:cp|mv|install|ln|rsync)$/;

export function governanceTrees(f: CommandFacts): Refusal[] {
  const out: Refusal[] = [];
  const refuse = (reason: string): void => {
    out.push({ code: 'governance', reason: `${f.name} would change ${reason}` });
  };
  const operands = f.positional();
  const target = targetDirectory(f, operands);
  const sources = target === undefined || target.explicit ? operands : operands.slice(0, -1);
  if (REMOVES.test(f.name)) {
    for (const word of f.name === 'mv' ? sources : operands) {
      for (const path of f.paths(word)) {
        const reason = f.judge.holdsGovernance(path, f.cwd);
        if (reason !== undefined) refuse(reason);
      }
    }
  }
  if (INTO_DIRECTORY.test(f.name) && target !== undefined && isDirectory(resolve(f.cwd, target.path))) {
    for (const word of sources) {
      for (const source of f.paths(word)) {
        for (const name of namesWritten(resolve(f.cwd, source), source)) {
          const written = join(target.path, name);
          const reason = f.judge.governance(written, f.cwd) ?? f.judge.holdsGovernance(written, f.cwd);
          if (reason !== undefined) refuse(reason);
        }
      }
    }
  }
  return out;
}

/** `-t DIR`, `--target-directory=DIR`, or the last operand. */
function targetDirectory(f: CommandFacts, operands: readonly Word[]): { path: string; explicit: boolean } | undefined {
  for (let i = 0; i < f.texts.length; i += 1) {
    const t = f.texts[i];
    if ((t === '-t' || t === '--target-directory') && f.texts[i + 1] !== undefined) return { path: f.texts[i + 1]!, explicit: true };
    if (t?.startsWith('--target-directory=')) return { path: t.slice('--target-directory='.length), explicit: true };
  }
  const last = operands.at(-1);
  const text = wordText(last);
  return operands.length < 2 || text === undefined ? undefined : { path: text, explicit: false };
}

/** A source copied by its contents (`dir/`, `dir/.`) writes its entries; otherwise its own name. */
function namesWritten(absolute: string, spelled: string): string[] {
  if (!/\/\.?$/.test(spelled) || !isDirectory(absolute)) return [basename(absolute)];
  let entries: string[];
  try {
    entries = readdirSync(absolute);
  } catch {
    return [];
  }
  checkNameCount(entries.length, `copying the contents of ${spelled}`);
  return entries;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
