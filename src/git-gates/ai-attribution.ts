/**
 * AI attribution in a commit message (policy `block_ai_attribution`, rea 0.4): trailers that credit
 * an AI tool as co-author (by name or by its noreply address) and "Generated with …" footers. A
 * human co-author passes, including people who share a name with a tool (Claude Monet, Devin Smith):
 * a bare first name counts only when it is the whole name, the way tools sign.
 */
import type { MessageLine } from './commit-message.js';

export interface AttributionFinding {
  readonly line: number;
  readonly kind: string;
}

interface AiTool {
  readonly label: string;
  /** Tested against the trailer's name, with a trailing `[bot]` and `(aider)`-style suffixes removed. */
  readonly name: RegExp;
  readonly email?: RegExp;
}

const AI_TOOLS: readonly AiTool[] = [
  {
    label: 'Claude',
    name: /^claude(?:[\s-]+(?:code|ai|agent|bot|opus|sonnet|haiku|instant|v?\d[\w.-]*))*$|\bclaude[\s-]code\b|\banthropic\b/i,
    email: /@anthropic\.com$/i,
  },
  { label: 'GitHub Copilot', name: /copilot/i, email: /copilot/i },
  // Before ChatGPT: aider signs as `aider (gpt-4o)`.
  { label: 'Aider', name: /^aider\b/i, email: /@aider\.chat$/i },
  { label: 'ChatGPT / OpenAI', name: /chatgpt|\bopenai\b|\bgpt-?\d/i, email: /@openai\.com$/i },
  { label: 'Codex', name: /\bcodex\b/i },
  { label: 'Cursor', name: /^cursor(?:[\s-]*(?:agent|ai|bot))?$|\bcursor[\s-]?agent\b/i, email: /@cursor\.(?:com|sh)$|^cursoragent@/i },
  { label: 'Gemini', name: /\bgemini\b/i, email: /gemini/i },
  { label: 'Devin', name: /^devin(?:[\s-]*ai)?(?:[\s-]*integration)?$|\bdevin-ai\b/i, email: /@cognition(?:-labs)?\.(?:ai|com)$|devin-ai/i },
  { label: 'Windsurf / Codeium', name: /\bwindsurf\b|\bcodeium\b/i, email: /@(?:codeium|windsurf)\.com$/i },
  { label: 'Amazon Q', name: /\bamazon[\s-]?q\b|codewhisperer/i },
  { label: 'Tabnine', name: /\btabnine\b/i, email: /@tabnine\.com$/i },
  { label: 'Jules', name: /^jules$|google-labs-jules/i },
  { label: 'OpenHands', name: /\bopen-?hands\b/i, email: /@all-hands\.dev$/i },
  { label: 'Cline', name: /^cline$/i },
  { label: 'Junie', name: /^junie$/i },
  { label: 'Sweep', name: /^sweep(?:[\s-]?ai)?$/i },
];

/** Trailer keys that credit someone with the change. */
const CREDIT_TRAILER = /^\s*(co-authored-by|co-developed-by|assisted-by|generated-by|authored-by|signed-off-by|helped-by)\s*:\s*(.+)$/i;
/** "🤖 Generated with [Claude Code](…)", "Created by Cursor", "Written using ChatGPT": at the start of a line. */
const GENERATED_FOOTER = /^[^\p{L}\p{N}]*(?:generated|created|written|authored|produced|made|assisted)(?:\s+(?:entirely|partly|partially|mostly))?\s+(?:with|by|using|via)\b(.*)$/iu;
const FOOTER_TOOL =
  /\b(claude|anthropic|copilot|chatgpt|openai|gpt-?\d[\w.]*|codex|cursor|gemini|aider|devin|windsurf|codeium|tabnine|amazon\s?q|codewhisperer|jules|openhands|cline|junie|an?\s+ai|ai|llm)\b/i;

export function findAiAttribution(lines: readonly MessageLine[]): AttributionFinding[] {
  const findings: AttributionFinding[] = [];
  for (const { line, text } of lines) {
    const trailer = CREDIT_TRAILER.exec(text);
    if (trailer) {
      const tool = aiToolIn(trailer[2]!);
      if (tool) findings.push({ line, kind: `${trailer[1]} trailer naming an AI tool (${tool})` });
      continue;
    }
    const footer = GENERATED_FOOTER.exec(text);
    const tool = footer ? FOOTER_TOOL.exec(footer[1]!) : null;
    if (tool) findings.push({ line, kind: `"generated with" footer naming an AI tool (${tool[1]})` });
  }
  return findings;
}

/** The tool a `Name <email>` credits, if it is one. */
function aiToolIn(value: string): string | undefined {
  const parsed = /^(.*?)\s*<([^<>]*)>\s*$/.exec(value.trim());
  const rawName = parsed ? parsed[1]! : value.trim();
  const email = parsed ? parsed[2]!.trim() : '';
  const name = rawName.replace(/\s*\[bot\]$/i, '').replace(/\s*\((?:aider|ai|bot)\)$/i, '').trim();
  if (/\((?:aider)\)\s*$/i.test(rawName)) return 'Aider';
  return AI_TOOLS.find((t) => t.name.test(name) || (email !== '' && t.email?.test(email) === true))?.label;
}
