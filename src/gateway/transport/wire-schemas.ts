import { z } from 'zod';

/**
 * Results are forwarded as the downstream sent them: checked to be an object and otherwise left
 * untouched, so every field (structuredContent, _meta, icons, cursors, …) reaches the agent.
 */
export const AnyResultSchema = z.looseObject({});
export type AnyResult = z.infer<typeof AnyResultSchema>;
