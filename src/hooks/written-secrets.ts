import { BUILTIN_CHUNKS, collectMatches, type MatchRange } from '../scan/bounded-match.js';
import { SECRET_PATTERNS } from '../scan/patterns/secrets.js';
import { isPlaceholder } from '../scan/placeholders.js';

/** Beyond this much text a write is refused rather than scanned partly (a hook has a time budget). */
export const MAX_SCANNED_BYTES = 8 * 1024 * 1024;

/**
 * The secrets in text an agent is about to write: the names of the catalog patterns that match,
 * leaving out matches that are placeholders. Never the values.
 */
export function secretsIn(text: string): string[] {
  const found = new Set<string>();
  for (const pattern of SECRET_PATTERNS) {
    const ranges: MatchRange[] = [];
    collectMatches(text, pattern.regex, pattern.name, BUILTIN_CHUNKS, Number.POSITIVE_INFINITY, ranges);
    for (const range of ranges) if (!isPlaceholder(text.slice(range.start, range.end))) found.add(range.pattern);
  }
  return [...found];
}
