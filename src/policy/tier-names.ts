import type { Tier } from './levels.js';

/**
 * Tier implied by a tool's name alone. Words are split across snake_case, kebab-case, camelCase,
 * dotted and slashed names; any destructive word makes the name destructive, a read verb makes it
 * read only when no writing word appears, and anything else is `write` (unknown is never `read`).
 */

const DESTRUCTIVE = new Set([
  'delete', 'del', 'remove', 'rm', 'rmdir', 'unlink', 'drop', 'destroy', 'purge', 'truncate', 'wipe',
  'erase', 'kill', 'pkill', 'terminate', 'exec', 'execute', 'eval', 'run', 'shell', 'bash', 'sh', 'cmd',
  'spawn', 'sudo', 'reset', 'revoke', 'uninstall', 'force', 'overwrite', 'clear',
  'prune', 'shutdown', 'reboot', 'chmod', 'chown', 'nuke', 'flush', 'evict', 'expunge', 'obliterate',
]);

const WRITING = new Set([
  'create', 'write', 'update', 'set', 'put', 'post', 'patch', 'add', 'insert', 'edit', 'modify', 'save',
  'upload', 'send', 'move', 'mv', 'rename', 'copy', 'cp', 'commit', 'push', 'merge', 'append', 'apply',
  'install', 'enable', 'disable', 'start', 'stop', 'restart', 'deploy', 'publish', 'replace', 'assign',
  'close', 'comment', 'mkdir', 'make', 'store', 'import', 'sync', 'trigger', 'invoke', 'call', 'lock',
  'unlock', 'approve', 'sign', 'submit', 'transfer', 'pay', 'mark', 'archive', 'upsert', 'register',
  'change', 'configure', 'reply', 'fork', 'open', 'touch', 'sample', 'generate', 'mutate', 'migrate',
]);

const READ = new Set([
  'get', 'list', 'ls', 'read', 'cat', 'search', 'find', 'grep', 'fetch', 'show', 'view', 'describe',
  'inspect', 'lookup', 'count', 'stat', 'stats', 'status', 'info', 'head', 'tail', 'diff', 'browse',
  'peek', 'preview', 'explain', 'whoami', 'ping', 'query', 'check', 'tree', 'logs', 'print',
  'echo', 'resolve', 'retrieve', 'summarize', 'summarise', 'exists', 'is', 'has',
]);

/** Verbs recognised in a name written without separators (`deletefile`, `getanddelete`). */
const GLUED_DESTRUCTIVE = ['delete', 'remove', 'destroy', 'purge', 'truncate', 'unlink', 'drop', 'exec', 'kill', 'wipe', 'erase', 'overwrite', 'uninstall', 'terminate', 'expunge', 'obliterate'];
/** Long enough to be a verb wherever it appears in a glued name (short ones only start a verb run). */
const GLUED_DESTRUCTIVE_ANYWHERE = GLUED_DESTRUCTIVE.filter((verb) => verb.length >= 5);
const GLUED_WRITING = ['create', 'write', 'update', 'set', 'put', 'post', 'patch', 'add', 'insert', 'edit', 'modify', 'save', 'upload', 'send', 'move', 'rename', 'copy', 'replace', 'append', 'upsert', 'push', 'commit'];
const GLUED_READ = ['get', 'list', 'read', 'search', 'find', 'fetch', 'describe'];
/** Words that join verbs in a glued name: `getanddelete`, `findorcreate`, `readthenwipe`. */
const CONNECTORS = ['and', 'or', 'then'];
const GLUED_VERB_AFTER_CONNECTOR = new RegExp(`(?:${CONNECTORS.join('|')})(${[...GLUED_DESTRUCTIVE, ...GLUED_WRITING].join('|')})`, 'g');

/**
 * Letters that look like Latin ones in names (Cyrillic and Greek), folded so `dеlete` with a
 * Cyrillic е is still `delete`. Fullwidth and other compatibility forms are folded by NFKC first.
 */
const CONFUSABLES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ѕ: 's', і: 'i', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ԁ: 'd', ӏ: 'l',
  α: 'a', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
};

/** A name as its letters read: compatibility forms and look-alike letters folded to ASCII where they can be. */
function foldName(name: string): string {
  return [...name.normalize('NFKC')].map((ch) => CONFUSABLES[ch.toLowerCase()] ?? ch).join('');
}

/** Lower-case words of a tool name: `deleteFile` → delete, file; `fs.remove` → fs, remove. */
export function nameWords(name: string): string[] {
  return foldName(name)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/**
 * The tier of a name written as one word. A destructive verb wins wherever it can be read as one;
 * a read verb at the start makes it read only when no other verb follows (`getanddelete`,
 * `readwrite` and `findorcreate` are not reads: THREAT_MODEL.md T1).
 */
function gluedTier(word: string): Tier {
  const startsWith = (verbs: readonly string[], at = 0) => verbs.find((verb) => word.startsWith(verb, at));
  if (startsWith(GLUED_DESTRUCTIVE) || GLUED_DESTRUCTIVE_ANYWHERE.some((verb) => word.includes(verb))) return 'destructive';
  const joined = [...word.matchAll(GLUED_VERB_AFTER_CONNECTOR)].map((m) => m[1]!);
  if (joined.some((verb) => GLUED_DESTRUCTIVE.includes(verb))) return 'destructive';
  if (startsWith(GLUED_WRITING) || joined.length > 0) return 'write';
  const read = startsWith(GLUED_READ);
  if (read === undefined) return 'write';
  // A verb glued straight after the read verb (`readwrite`, `getdelete`) is a second action.
  const next = startsWith([...GLUED_WRITING, ...GLUED_DESTRUCTIVE], read.length);
  return next === undefined ? 'read' : 'write';
}

export function tierFromName(name: string): Tier {
  const words = nameWords(name);
  let sawRead = false;
  let sawWriting = false;
  for (const word of words) {
    if (DESTRUCTIVE.has(word)) return 'destructive';
    if (WRITING.has(word)) sawWriting = true;
    else if (READ.has(word)) sawRead = true;
  }
  if (words.length === 1 && !sawRead && !sawWriting) return gluedTier(words[0]!);
  // Letters that stayed outside ASCII after folding split words unpredictably: never `read` then.
  if (sawRead && !sawWriting && /[^\x00-\x7f]/.test(foldName(name))) return 'write';
  return sawRead && !sawWriting ? 'read' : 'write';
}
