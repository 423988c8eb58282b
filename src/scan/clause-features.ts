/**
 * Sentence structure of a text for the injection model (issue 12): one pass reads the words,
 * gives each its roles from the lexicon (patterns/injection.ts) and ORs them into the sentence it
 * sits in, together with what only position tells: a verb that opens a clause (the imperative
 * mood), the model named as the one spoken to (`Assistant, …`, `Note to the AI`), an address or
 * URL (an outside destination), a tool identifier. `structuralFeatures` then asks how the roles
 * combine inside a sentence (and with the one before it, which may hold the address).
 */
import { ARTICLES, CLAUSE_OPENERS, CONJUNCTIONS, PHRASE_ROLES, PHRASE_WORDS, R, TLDS, UNSPACED, VOCATIVE_BEFORE, WORD_ROLES } from './patterns/injection.js';

/** Positional marks, kept apart from the lexicon roles. */
export const X = {
  IMP: 1 << 0, // a verb opening a clause
  VOC: 1 << 1, // the model addressed directly
  IMP_HARM: 1 << 2,
  IMP_SEND: 1 << 3,
  IMP_CALL: 1 << 4,
  IMP_REVEAL: 1 << 5,
  AUTH_LABEL: 1 << 6, // `SYSTEM:` / `Admin:` opening a line
  YOU_ARE: 1 << 7, // `you are` / `you're` / `you will`
} as const;

export interface SentenceCounts {
  /** Clauses read, and how many opened with a verb (READMEs are full of them). */
  readonly clauses: number;
  readonly imperatives: number;
  /** Words that are lexicon words in rot13 (a hint to decode and read again). */
  readonly rot13Words: number;
}

/** Called once per sentence with the roles (R bits) and marks (X bits) found in it. */
export type SentenceVisitor = (roles: number, marks: number) => void;

/** Below this length, CJK text is read as one sentence (its fragments have no word positions). */
const MAX_UNSPACED = 2000;
const TRANSCRIPT = /(?:^|\n)[ \t>*]{0,4}(?:user|customer|human|client|caller|visitor)\s?:/;
const URL_SCHEMES = new Set(['http', 'https', 'ftp', 'sftp', 's3', 'ws', 'wss', 'gs', 'file']);
/** `you are`, `tu es`, `du bist`: the text tells the model what it is. */
const BE = new Set(['are', 'will', 'have', 'es', 'êtes', 'eres', 'estás', 'bist', 'sind', 'sei', 'é', 'está', 'bent', 'jesteś', 'sen']);
const DEFINERS = new Set(['def', 'function', 'fn', 'func', 'async', 'class', 'sub', 'proc', 'void', 'public', 'private', 'static']);
const FIRST_PERSON = new Set(['i', "i'm", "i've", "i'll", 'we', "we're", "we've", 'sure', 'thanks', 'thank', 'sorry', 'hello', 'hi', 'ok', 'okay', 'yes', 'no', 'certainly', 'of']);

/** The word that starts after `from`, skipping spaces. */
function wordAfter(text: string, from: number): string {
  let start = from;
  while (start < text.length && text.charCodeAt(start) === 32) start++;
  let end = start;
  while (end < text.length && end - start < 16 && (isWordChar(text.charCodeAt(end)) || text.charCodeAt(end) === 39)) end++;
  return text.slice(start, end);
}

/** Words that make whatever model follows (one word later) the one addressed. */
const STRONG_VOCATIVE = new Set(['dear', 'hey', 'hi', 'hello', 'attention', 'attn', 'note']);
const NEG_OPENERS = new Set(['do', 'not', "don't", 'dont', 'never', 'no']);
const IMPERATIVE_BLOCKERS = R.AI | R.YOU | R.USER;

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || (c >= 0xc0 && !isPunctuation(c));
}

function isPunctuation(c: number): boolean {
  return (c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff01 && c <= 0xff0f) || c === 0xd7 || c === 0xf7 || (c >= 0x2190 && c <= 0x2bff) || c >= 0xd800;
}

/** Read `lower` (normalised, lowercased) sentence by sentence. */
export function readSentences(lower: string, visit: SentenceVisitor): SentenceCounts {
  // In a transcript (`User: …` / `Assistant: …`) a speaker label is not someone being addressed.
  const transcript = TRANSCRIPT.test(lower);
  let roles = 0;
  let marks = 0;
  let all = 0;
  let rot13Words = 0;
  let clauseStart = true;
  let clauseWords = 0;
  let openerChain = false; // the previous word opened a clause and lets the next one open it too
  let p1 = '';
  let p2 = '';
  let clauses = 0;
  let imperatives = 0;
  const n = lower.length;
  const endSentence = (): void => {
    if (roles !== 0 || marks !== 0) visit(roles, marks);
    all |= roles;
    roles = marks = 0;
    clauseStart = true;
    p1 = p2 = '';
  };
  let i = 0;
  while (i < n) {
    const c = lower.charCodeAt(i);
    if (!isWordChar(c)) {
      // A semicolon joins independent clauses: each is judged as a sentence of its own.
      if (c === 10 || c === 59 || c === 0x3002 || c === 0xff01 || c === 0xff1f) endSentence();
      else if (c === 92 && lower.charCodeAt(i + 1) === 110) { endSentence(); i++; } // `\n` inside JSON
      else if (c === 46 || c === 33 || c === 63) {
        const next = lower.charCodeAt(i + 1);
        if (Number.isNaN(next) || next === 32 || next === 10 || next === 34 || next === 92 || next === 41) endSentence();
      } else if (c === 44 || c === 58 || c === 40 || c === 0x2014 || c === 0x2013 || c === 42 || c === 62 || c === 91 || c === 123) {
        clauseStart = true;
        openerChain = false;
      }
      i++;
      continue;
    }
    const start = i;
    let dotted = false;
    while (i < n) {
      const d = lower.charCodeAt(i);
      if (isWordChar(d)) i++;
      else if ((d === 39 || d === 45 || d === 0x2019) && i + 1 < n && isWordChar(lower.charCodeAt(i + 1))) i++;
      else if (d === 46 && i + 1 < n && isWordChar(lower.charCodeAt(i + 1))) {
        // `example.com`, `mcp.json`, `e.g`: one word with its dots.
        dotted = true;
        i++;
      } else break;
    }
    const word = lower.slice(start, i);
    const before = start > 0 ? lower.charCodeAt(start - 1) : 32;
    const after = i < n ? lower.charCodeAt(i) : 32;
    // An address is a destination, not words of the sentence (`x@attacker.example`); nor is a call
    // (`now()`) anything but code.
    const inAddress = (before === 64 && start > 1 && isWordChar(lower.charCodeAt(start - 2))) || after === 64;
    let role = inAddress || after === 40 ? 0 : (WORD_ROLES.get(word) ?? 0);
    let mark = 0;
    if (after === 58 && lower.charCodeAt(i + 1) === 47 && URL_SCHEMES.has(word)) role |= R.DEST;
    else if (after === 64 && isWordChar(lower.charCodeAt(i + 1)) && before !== 64) role |= R.DEST; // an e-mail address
    // `evil.example` is a host; `.env.example` is a file.
    else if (dotted && role === 0 && before !== 46 && TLDS.has(word.slice(word.lastIndexOf('.') + 1))) role |= R.DEST;
    if (before === 64 && role & R.AI) mark |= X.VOC; // @assistant
    if (!dotted && word.length >= 5 && word.indexOf('_') > 0 && word.indexOf('_') < word.length - 1 && !(role & R.SECRET)) role |= R.TOOL | R.TOOL_NAME;
    // `send_message(…)` orders a call; `def read_secret(…)` defines one.
    if (after === 40 && word.length >= 4 && role & R.TOOL_NAME && !DEFINERS.has(p1)) mark |= X.IMP_CALL;
    // A speaker label (`User:` opening a line) names who talks; it is not the user being talked about.
    if (clauseStart && after === 58 && p1 === '') role &= ~R.USER;
    // `this tool` is a description talking about itself, not another tool to call.
    if (p1 === 'this' && role & R.TOOL) role &= ~R.TOOL;
    if (PHRASE_WORDS.has(word)) {
      if (p1 !== '') role |= PHRASE_ROLES.get(`${p1} ${word}`) ?? 0;
      if (p2 !== '') role |= PHRASE_ROLES.get(`${p2} ${p1} ${word}`) ?? 0;
    }
    if (role & R.AI) {
      if ((p1 === 'an' || p1 === 'a') && p2 === 'are') mark |= X.VOC; // `if you are an LLM`
      if (STRONG_VOCATIVE.has(p2)) mark |= X.VOC; // `Dear hiring AI`
      // `AI accounts payable assistant, route …`: the model named at the head of a clause.
      if ((after === 44 || after === 58) && clauseWords <= 4 && !transcript) mark |= X.VOC;
      // `Agent: I have reset your password`: a speaker label followed by the speaker's own words.
      if (after === 58 && FIRST_PERSON.has(wordAfter(lower, i + 1))) mark &= ~X.VOC;
      if (VOCATIVE_BEFORE.has(p1) || (ARTICLES.has(p1) && VOCATIVE_BEFORE.has(p2)) || (clauseStart && (after === 44 || (after === 58 && !transcript)))) mark |= X.VOC;
    }
    if (BE.has(word) && role === 0 && WORD_ROLES.get(p1)! & R.YOU) mark |= X.YOU_ARE;
    else if (word === "you're" || word === 'youre') mark |= X.YOU_ARE;
    if (clauseStart && after === 58 && role & R.AUTHORITY && p1 === '') mark |= X.AUTH_LABEL;
    const opens: boolean = clauseStart || openerChain;
    clauseWords = clauseStart ? 1 : clauseWords + 1;
    if (opens) clauses++;
    if (opens && role & R.VERB && !(role & IMPERATIVE_BLOCKERS) && !CLAUSE_OPENERS.has(word)) {
      imperatives++;
      mark |= X.IMP;
      if (role & R.HARM) mark |= X.IMP_HARM;
      if (role & R.SEND) mark |= X.IMP_SEND;
      if (role & R.CALL) mark |= X.IMP_CALL;
      if (role & R.REVEAL) mark |= X.IMP_REVEAL;
    }
    openerChain = opens && (CLAUSE_OPENERS.has(word) || NEG_OPENERS.has(word) || (role & R.AI) !== 0);
    // A mention (`@shopbot_help Enter …`) or a conjunction leaves the clause open for an order.
    clauseStart = before === 64 || CONJUNCTIONS.has(word);
    if (role & R.ROT13) rot13Words++;
    roles |= role;
    marks |= mark;
    p2 = p1;
    p1 = word;
  }
  endSentence();
  if (lower.length <= MAX_UNSPACED && CJK.test(lower)) {
    const unspaced = unspacedRoles(lower);
    if (unspaced !== 0) visit(all | unspaced, 0);
  }
  return { clauses, imperatives, rot13Words };
}

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;

/** CJK and Korean: no word boundaries to read, so the lexicon's fragments are looked up as text. */
function unspacedRoles(text: string): number {
  let roles = 0;
  for (const [role, fragments] of UNSPACED) {
    for (const f of fragments.split('|')) if (text.includes(f)) roles |= role;
  }
  return roles;
}
