import type { AuditLog } from '../../audit/log-writer.js';
import { errorMessage } from '../../errors.js';
import { intentRecord } from '../call-records.js';
import type { Middleware, RequestContext } from '../types.js';
import { refuse } from './audit.js';

/**
 * Stage `intent`, just before execute: a write or destructive call gets a durable intent record
 * before its downstream sees it, so a crash mid-call still leaves evidence (issue 4). Only here is
 * the call sure to be forwarded, and its tier final. A record that cannot be written refuses the
 * call under audit `on_failure: deny` (the default); under `allow` the call goes on and the writer
 * records the failure later.
 */
export function intent(getLog: () => AuditLog | undefined): Middleware {
  return function intent(ctx, next) {
    const auditLog = getLog();
    return auditLog === undefined || ctx.tier === 'read' ? next() : recorded(ctx, next, auditLog);
  };
}

async function recorded(ctx: RequestContext, next: () => Promise<void>, auditLog: AuditLog): Promise<void> {
  try {
    await auditLog.append(intentRecord(ctx));
  } catch (error) {
    if ((auditLog.options.onFailure ?? 'deny') === 'deny') {
      refuse(ctx, errorMessage(error), 'intent', 'intent');
      return;
    }
  }
  await next();
}
