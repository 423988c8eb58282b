import type { ReaPaths } from '../config/project-paths.js';
import { createLogger } from '../observability/logger.js';

const log = createLogger('cli');

/** Record an operator action (freeze, unfreeze, …) in the project's audit chain. */
export async function recordCliEvent(paths: ReaPaths, event: string, metadata: Record<string, unknown>): Promise<void> {
  log.info(event, { ...metadata, audit: paths.audit });
}
