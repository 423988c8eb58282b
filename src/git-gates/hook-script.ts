/**
 * The shell script git runs for a gate. It names the node binary and rea's CLI by absolute path, so
 * it works without `rea` on PATH; when the CLI is gone it says so and refuses (fail closed). After
 * rea's gate passes, the hook it replaced (moved aside to `<name>.rea-chained`) runs with the same
 * arguments and stdin, and its exit status is the hook's.
 */
import type { GateName } from './gate-verdict.js';

export interface GateLauncher {
  /** Absolute path of the node binary. */
  readonly node: string;
  /** Absolute path of rea's `dist/cli/index.js`. */
  readonly cli: string;
}

/** The second line of every script rea writes; how install, uninstall and doctor recognise one. */
export const HOOK_MARKER = '# rea git gate:';
export const CHAINED_SUFFIX = '.rea-chained';

export function renderHookScript(gate: GateName, launcher: GateLauncher): string {
  const chained = `${gate}${CHAINED_SUFFIX}`;
  return `#!/bin/sh
${HOOK_MARKER} ${gate}. Written by rea (\`rea gate install\`, \`rea init\`); \`rea gate uninstall\` puts back what was here.
rea_node=${shellQuote(launcher.node)}
rea_cli=${shellQuote(launcher.cli)}
rea_chained="$(dirname "$0")/${chained}"
if [ ! -f "$rea_cli" ]; then
  echo "rea: the ${gate} gate cannot run: $rea_cli is missing (rea was moved or uninstalled), so this is refused." >&2
  echo "rea: reinstall rea and run \\\`rea init\\\` (or \\\`rea gate install\\\`) in this project again." >&2
  echo "rea: to drop the gate instead, delete $0 and rename $rea_chained (if present) to $0." >&2
  exit 1
fi
# A node that moved (a version manager switched) falls back to the one on PATH.
[ -x "$rea_node" ] || rea_node=node
if ! command -v "$rea_node" >/dev/null 2>&1; then
  echo "rea: the ${gate} gate cannot run: no node at ${launcher.node.replace(/["`$\\]/g, '\\$&')} nor on PATH, so this is refused. Install Node.js 20 or later." >&2
  exit 1
fi
"$rea_node" "$rea_cli" gate ${gate} "$@" </dev/null || exit $?
if [ -x "$rea_chained" ]; then
  # A sh hook runs with git's $0: husky and others find their own files through it.
  if head -n 1 "$rea_chained" | grep -Eq '^#! *(/usr/bin/env +sh|/bin/sh) *$'; then
    REA_CHAINED_HOOK="$rea_chained" exec sh -c '. "$REA_CHAINED_HOOK"' "$0" "$@"
  fi
  exec "$rea_chained" "$@"
fi
`;
}

/** The launcher a script names, or undefined when the text is not one of rea's scripts. */
export function parseHookScript(text: string): GateLauncher | undefined {
  if (!text.split('\n', 2)[1]?.startsWith(HOOK_MARKER)) return undefined;
  const node = /^rea_node=(.*)$/m.exec(text)?.[1];
  const cli = /^rea_cli=(.*)$/m.exec(text)?.[1];
  if (node === undefined || cli === undefined) return undefined;
  return { node: shellUnquote(node), cli: shellUnquote(cli) };
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function shellUnquote(quoted: string): string {
  return quoted.replace(/^'|'$/g, '').replace(/'\\''/g, "'");
}
