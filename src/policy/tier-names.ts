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

/** Verbs recognised at the start of a name written without separators (`deletefile`, `getuser`). */
const GLUED_DESTRUCTIVE = ['delete', 'remove', 'destroy', 'purge', 'truncate', 'unlink', 'drop', 'exec', 'kill', 'wipe', 'erase'];
const GLUED_READ = ['get', 'list', 'read', 'search', 'find', 'fetch', 'describe'];

/** Lower-case words of a tool name: `deleteFile` → delete, file; `fs.remove` → fs, remove. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
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
  if (words.length === 1 && !sawRead && !sawWriting) {
    const only = words[0]!;
    if (GLUED_DESTRUCTIVE.some((verb) => only.startsWith(verb))) return 'destructive';
    if (GLUED_READ.some((verb) => only.startsWith(verb))) return 'read';
  }
  return sawRead && !sawWriting ? 'read' : 'write';
}
