/**
 * The audit log's public surface. Other parts of rea (and the hooks) write with
 * `appendAuditRecord(target, input)`; the gateway keeps one `AuditLog` open; `verifyChain` and
 * `chainFiles` back `rea audit verify`.
 */
export type { AuditInput, AuditPhase, AuditRecord, AuditStatus } from './record.js';
export { GENESIS_HASH, buildRecord, digestArgs, recordLine } from './record.js';
export { AuditLog } from './log-writer.js';
export type { AuditLogOptions, AuditStats, CheckpointOptions } from './log-options.js';
export type { RotationOptions, RotationResult } from './rotation.js';
export { appendAuditRecord, resolveAuditPath } from './one-shot.js';
export { verifyChain, chainFiles } from './verify.js';
export type { AnchorStatus, BreakReason, ChainBreak, VerifyOptions, VerifyReport } from './verify.js';
export { generateKeyPair, loadPrivateKey, loadPublicKey, projectKeyPaths, keyId } from './keys.js';
export { readAnchor } from './checkpoint.js';
export type { Anchor } from './checkpoint.js';
export { CHECKPOINT_TOOL_NAME, RECOVERY_TOOL_NAME, ROTATION_TOOL_NAME, WRITE_FAILED_TOOL_NAME } from './events.js';
