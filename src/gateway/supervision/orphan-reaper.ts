import { spawn, type ChildProcess } from 'node:child_process';

/**
 * No child may outlive the gateway, even a gateway killed with SIGKILL, when no exit handler runs.
 * Most servers exit when their stdin closes; one that ignores it (or a process it spawned) would
 * be left running. So a tiny `sh`, in its own process group, holds a pipe from the gateway and
 * the list of the children's process groups (each child leads one: spawned detached). When the
 * pipe closes, it SIGKILLs whatever groups are still listed. An orderly shutdown has stopped every
 * child by then, and a group is taken off the list once nothing in it is alive, so a process group
 * id the kernel hands out again later is never signalled.
 */

/** Keeps the last list it was sent; at EOF, kills each group on it. */
const SCRIPT = `trap '' HUP INT
live=
while IFS= read -r line; do live=$line; done
for g in $live; do kill -s KILL -- "-$g" 2>/dev/null; done
`;

class OrphanReaper {
  private readonly groups = new Set<number>();
  private reaper: ChildProcess | undefined;

  /** A child just spawned, leading its own process group (no groups, and no reaper, on Windows). */
  track(pgid: number): void {
    if (process.platform === 'win32') return;
    this.groups.add(pgid);
    this.send();
  }

  /** A child exited: its group leaves the list once nothing in it is alive (grandchildren may be). */
  prune(): void {
    const gone = [...this.groups].filter((pgid) => !groupAlive(pgid));
    for (const pgid of gone) this.groups.delete(pgid);
    if (gone.length > 0) this.send();
  }

  private send(): void {
    const stdin = this.start()?.stdin;
    if (!stdin || stdin.destroyed) return;
    stdin.write(`${[...this.groups].join(' ')}\n`);
  }

  private start(): ChildProcess | undefined {
    if (this.reaper) return this.reaper;
    const reaper = spawn('/bin/sh', ['-c', SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    // Best effort: without a reaper the ordinary shutdown ladder still stops every child.
    reaper.on('error', () => undefined);
    reaper.stdin!.on('error', () => undefined);
    // Neither the process nor its pipe may keep the gateway's event loop alive.
    reaper.unref();
    (reaper.stdin as unknown as { unref?: () => void }).unref?.();
    this.reaper = reaper;
    return reaper;
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    // EPERM: something is alive in the group that we may not signal; keep it listed.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One per process: every child transport registers here. */
export const orphanReaper = new OrphanReaper();
