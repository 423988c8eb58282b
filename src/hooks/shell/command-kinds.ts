/**
 * What the Bash rules need to know about commands by name. Anything not listed is treated with
 * caution: it may read any file it names (blocked paths apply) and may change it (tier write;
 * a governance file among its arguments is refused).
 */

/** Commands that only look at names, never contents: `ls .env` or `echo .env` leak nothing. */
const LOOK_AT_NAMES = [
  'ls', 'll', 'la', 'dir', 'stat', 'test', '[', '[[', 'echo', 'printf', 'basename', 'dirname', 'realpath', 'readlink',
  'which', 'whereis', 'type', 'du', 'cd', 'pushd', 'popd', 'pwd', 'true', 'false', ':', 'exit', 'return',
  'sleep', 'wait', 'jobs', 'history', 'date', 'whoami', 'id', 'uname', 'hostname',
];
export const NAME_ONLY = new Set([...LOOK_AT_NAMES, 'touch', 'mkdir', 'export', 'unset', 'set', 'shopt', 'alias']);

/** Commands that change nothing (tier read). Subcommand-aware ones (git, npm, rea) are judged apart. */
export const READ_ONLY = new Set([
  ...LOOK_AT_NAMES,
  'cat', 'less', 'more', 'head', 'tail', 'tac', 'nl', 'wc', 'grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack', 'sort', 'uniq', 'cut',
  'paste', 'diff', 'cmp', 'comm', 'file', 'tree', 'find', 'df', 'env', 'printenv', 'jq', 'yq', 'xxd', 'od', 'hexdump',
  'strings', 'base64', 'base32', 'md5sum', 'sha1sum', 'sha256sum', 'sha512sum', 'shasum', 'cksum', 'column', 'fold', 'fmt',
  'expand', 'unexpand', 'tr', 'rev', 'bat', 'ps', 'pgrep', 'top', 'htop', 'lsof', 'netstat', 'ss', 'free', 'uptime', 'man',
  'help', 'seq', 'yes', 'expr', 'bc', 'cal', 'awk', 'gawk', 'sed', 'tee', 'xargs', 'command', 'lsblk', 'locale', 'tput', 'export', 'unset',
  'dig', 'nslookup', 'host', 'ping', 'getent', 'nproc', 'arch', 'groups', 'users', 'who', 'w', 'last', 'vmstat', 'iostat',
]);

/** Commands that change or remove every file they name (a governance file among them is refused). */
export const CHANGES_ARGUMENTS = new Set([
  'touch', 'mkdir', 'rm', 'rmdir', 'unlink', 'shred', 'truncate', 'chmod', 'chown', 'chgrp', 'chattr', 'setfacl', 'ln', 'mv', 'cp', 'install',
  'rsync', 'dd', 'tee', 'vi', 'vim', 'nvim', 'nano', 'emacs', 'code', 'subl', 'ed', 'ex', 'patch', 'mkfifo', 'mknod', 'split',
  'csplit', 'scp', 'sftp', 'tar', 'unzip', 'zip', 'gzip', 'gunzip', 'bzip2', 'xz', '7z', 'sqlite3',
]);

/** awk reads files its program names (`getline < ".env"`), but text piped into it is data, not code. */
export const AWK = /^(?:g|m|n)?awk$/;
export const INTERPRETERS = /^(?:python\d*(?:\.\d+)?|node|nodejs|deno|bun|ruby|perl|php|lua|Rscript|osascript|pwsh|powershell)$/;
export const DATABASE_CLIENTS = /^(?:psql|mysql|mariadb|sqlite3|sqlcmd|mongo|mongosh|redis-cli|cqlsh|clickhouse-client|duckdb)$/;
