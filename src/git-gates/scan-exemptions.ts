/**
 * Paths a project exempts from the secret scan with a git attribute, e.g. a corpus of fake keys a
 * test suite needs: `test/fixtures/secrets/** -rea-secret-scan` in `.gitattributes`. Read from the
 * index (`--cached`), so the exemption is the one being committed; blocked paths still apply.
 */
import { gitOutput } from './git-command.js';

export const SCAN_EXEMPT_ATTRIBUTE = 'rea-secret-scan';

/** The paths among `paths` whose `rea-secret-scan` attribute is unset. */
export function exemptFromSecretScan(top: string, paths: readonly string[]): Set<string> {
  if (paths.length === 0) return new Set();
  const out = gitOutput(top, ['check-attr', '--cached', '-z', '--stdin', SCAN_EXEMPT_ATTRIBUTE], `${paths.join('\0')}\0`).toString('utf8');
  // -z: "<path>\0<attribute>\0<value>\0" per path; `-attr` reads as "unset".
  const fields = out.split('\0');
  const exempt = new Set<string>();
  for (let i = 0; i + 2 < fields.length; i += 3) if (fields[i + 2] === 'unset') exempt.add(fields[i]!);
  return exempt;
}

/** Whether the commit itself changes a `.gitattributes` file (an exemption must not ride in with the secret). */
export function changesAttributes(paths: readonly string[]): boolean {
  return paths.some((p) => p === '.gitattributes' || p.endsWith('/.gitattributes'));
}
