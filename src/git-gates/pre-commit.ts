/**
 * The pre-commit gate (THREAT_MODEL.md T20): what a commit adds is read from the index and refused
 * when it puts a file on a blocked path or adds a secret the catalog recognises.
 */
import type { Policy } from '../config/policy-schema.js';
import { compileUserPatterns } from '../scan/user-patterns.js';
import { compileStagedPathRule } from './blocked-staged-paths.js';
import type { GateFinding, GateRefusal } from './gate-verdict.js';
import { changesAttributes, exemptFromSecretScan, SCAN_EXEMPT_ATTRIBUTE } from './scan-exemptions.js';
import { createSecretScanner } from './secret-findings.js';
import { listStagedChanges, readBlobs, SUBMODULE_MODE, type BlobRead } from './staged-changes.js';

export interface PreCommitLimits {
  /** Text files larger than this are not scanned; the commit is refused unless the path is exempted. */
  readonly maxScannedBytes: number;
  /** Per pattern pass. A commit is not a hot path: far more than the gateway's per-call budget. */
  readonly scanBudgetMs: number;
}

export const PRE_COMMIT_LIMITS: PreCommitLimits = { maxScannedBytes: 32 * 1024 * 1024, scanBudgetMs: 5_000 };
/** Git's own test: a NUL in the first 8000 bytes makes a file binary. Binaries are not scanned. */
const BINARY_PROBE_BYTES = 8000;

type PathFinding = GateFinding & { readonly path: string };

export function preCommitRefusals(top: string, root: string, policy: Policy, policyFile: string, limits = PRE_COMMIT_LIMITS): GateRefusal[] {
  const changes = listStagedChanges(top).filter((c) => c.mode !== SUBMODULE_MODE);
  if (changes.length === 0) return [];
  const refusals: GateRefusal[] = [];

  const isBlocked = compileStagedPathRule(policy.blocked_paths, root, top);
  const blocked = changes.flatMap((c) => {
    const pattern = isBlocked(c.path);
    return pattern === undefined ? [] : [{ where: c.path, kind: `blocked path (policy blocked_paths: ${pattern})` }];
  });
  if (blocked.length > 0) {
    refusals.push({
      code: 'blocked_path',
      summary: `Staged files on a blocked path (${blocked.length}):`,
      findings: blocked,
      next: 'unstage them with `git restore --staged <file>` (`git rm --cached <file>` if already committed) and keep them out of the repository; .rea/policy.yaml `blocked_paths` lists what may never be committed.',
    });
  }

  const scanner = createSecretScanner(compileUserPatterns(policy.redact.patterns ?? [], policyFile), limits.scanBudgetMs);
  const blobs = readBlobs(top, changes.flatMap((c) => (c.previousBlob === undefined ? [c.blob] : [c.blob, c.previousBlob])), limits.maxScannedBytes);
  const secrets: PathFinding[] = [];
  const unscanned: PathFinding[] = [];
  for (const c of changes) {
    const staged = blobs.get(c.blob);
    if (staged?.kind === 'too_large') {
      unscanned.push({ path: c.path, where: c.path, kind: `${mebibytes(staged.size)} MiB, larger than the ${mebibytes(limits.maxScannedBytes)} MiB the gate scans` });
      continue;
    }
    const text = textOf(staged);
    if (text === undefined) continue;
    const scan = scanner.scan(text, c.previousBlob === undefined ? undefined : textOf(blobs.get(c.previousBlob)));
    if (scan.kind === 'timeout') unscanned.push({ path: c.path, where: c.path, kind: `scan did not finish in time (pattern ${scan.pattern})` });
    else for (const f of scan.findings) secrets.push({ path: c.path, where: `${c.path}:${f.line}`, kind: f.kind });
  }

  const flagged = [...new Set([...secrets, ...unscanned].map((f) => f.path))];
  // An exemption added in the same commit as the secret it would let through is not honoured.
  const exemptionInCommit = changesAttributes(changes.map((c) => c.path));
  const exempt = exemptionInCommit ? new Set<string>() : exemptFromSecretScan(top, flagged);
  const unexempted = (list: PathFinding[]): GateFinding[] => list.filter((f) => !exempt.has(f.path)).map(({ where, kind }) => ({ where, kind }));
  const attributeHint = exemptionInCommit
    ? ` This commit also changes a .gitattributes file, so \`-${SCAN_EXEMPT_ATTRIBUTE}\` exemptions are not honoured: commit that change on its own first.`
    : ` A file of deliberate fakes (a test corpus) can be exempted with \`<path> -${SCAN_EXEMPT_ATTRIBUTE}\` in .gitattributes, committed on its own.`;

  const secretFindings = unexempted(secrets);
  if (secretFindings.length > 0) {
    refusals.push({
      code: 'secret',
      summary: `Secrets in staged files (${secretFindings.length}), by kind; the values are not shown:`,
      findings: secretFindings,
      next: `remove each one from the file (and rotate it if it was ever real), read it from the environment or an ignored file instead, then \`git add\` and commit again.${attributeHint}`,
    });
  }
  const unscannedFindings = unexempted(unscanned);
  if (unscannedFindings.length > 0) {
    refusals.push({
      code: 'scan_incomplete',
      summary: `Staged files the secret scan could not finish (${unscannedFindings.length}):`,
      findings: unscannedFindings,
      next: `keep large generated files out of git (or in Git LFS), or split them.${attributeHint}`,
    });
  }
  return refusals;
}

function mebibytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 3 : 0);
}

function textOf(read: BlobRead | undefined): string | undefined {
  if (read?.kind !== 'content') return undefined;
  if (read.bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) return undefined;
  return read.bytes.toString('utf8');
}
