/** Every exit code the CLI uses, in one table (documented in the README). */
export const EXIT = {
  OK: 0,
  /** A check failed: invalid config, tampered audit log, HALT refused, … */
  FAILURE: 1,
  /** The command line itself was wrong. */
  USAGE: 2,
  /** `rea status`: no live gateway for this project. */
  NOT_RUNNING: 3,
} as const;
