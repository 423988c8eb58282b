/**
 * Sentence structure of a text for the injection model (issue 12): one pass reads the words,
 * gives each its roles from the lexicon (patterns/injection.ts) and ORs them into the sentence it
 * sits in, together with what only position tells: a verb that opens a clause (the imperative
 * mood), the model named as the one spoken to (`Assistant, …`, `Note to the AI`), an address or
 * URL (an outside destination), a tool identifier. `structuralFeatures` then asks how the roles
 * combine inside a sentence (and with the one before it, which may hold the address).
 */
import { lexiconEntry, R, S, SYNTAX, TLDS, UNSPACED, wordHash } from './patterns/injection.js';
import type { GramReader } from './ngram-score.js';

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
  YOU_SUBJECT: 1 << 8, // `you` as a subject (not `your`)
  MENTION: 1 << 9, // the moves sit in a quotation that a descriptive frame reports (`the line "…" was found`)
} as const;


export interface SentenceCounts {
  /** Clauses read, and how many opened with a verb (READMEs are full of them). */
  readonly clauses: number;
  readonly imperatives: number;
  /** Words that are lexicon words in rot13 (a hint to decode and read again). */
  readonly rot13Words: number;
  /** Every role seen, and the punctuation seen (P bits): what the carrier checks need before they run. */
  readonly roles: number;
  readonly punctuation: number;
  /** Four or more single letters in a row (`i g n o r e`): letter spacing to collapse and read again. */
  readonly spaced: boolean;
  /** Sentences that name attacks or defences (`for example`, `attackers`, `mitigation`): a text about attacks (stance-cues.ts). */
  readonly discussing: number;
  /** Code tokens: `=` signs and names glued to `(` (`create(`): a text that is code (stance-cues.ts). */
  readonly codeTokens: number;
  /** A key naming a prompt opens a string literal (`system_prompt = "…"`, `system: '…'`). */
  readonly promptLiteral: boolean;
  /** A tool call written as markup (`<function_call>`, `<invoke …>`). */
  readonly toolCallTag: boolean;
  /** A JSON key that may name a tool or its arguments (`"tool"`, `"arguments"`): worth a closer look. */
  readonly toolKey: boolean;
}

/** Punctuation the carrier checks (hidden-carriers.ts) start from. */
export const P = {
  LT: 1 << 0,
  BRACKET: 1 << 1,
  PIPE: 1 << 2,
  SCHEME: 1 << 3, // `://`
} as const;

/**
 * Called once per sentence with the roles (R bits) and marks (X bits) found in it. When the
 * sentence reports a quotation (`One sample read: "…"`), `roles` and `marks` are those of the
 * frame only and `quoted` the roles inside the quotation: a mention, not an order.
 */
export type SentenceVisitor = (roles: number, marks: number, quoted: number) => void;

/** Below this length, CJK text is read as one sentence (its fragments have no word positions). */
const MAX_UNSPACED = 2000;
const TRANSCRIPT = /(?:^|\n)[ \t>*]{0,4}(?:user|customer|human|client|caller|visitor)\s?:/;
const URL_SCHEMES = new Set(['http', 'https', 'ftp', 'sftp', 's3', 'ws', 'wss', 'gs', 'file']);
/** The word that starts after `from`, skipping spaces. */
function wordAfter(text: string, from: number): string {
  let start = from;
  while (start < text.length && text.charCodeAt(start) === 32) start++;
  let end = start;
  while (end < text.length && end - start < 16 && (isWordChar(text.charCodeAt(end)) || text.charCodeAt(end) === 39)) end++;
  return text.slice(start, end);
}

const IMPERATIVE_BLOCKERS = R.AI | R.YOU | R.USER;
/** `Agent: For security reasons I can't …`: the label's own first-person words, in its first sentence. */
const SPEAKS_FOR_ITSELF = /^[^.!?\n]{0,80}?\b(?:i|i'm|i've|i'll|we|we're|we've|we'll)\s/;

/** ASCII word characters (lowercase letters, digits, `_`), by code: a table read is the cheapest test per character. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 ? 1 : 0;

function isWordChar(c: number): boolean {
  return c < 128 ? ASCII_WORD[c] === 1 : c >= 0xc0 && !isPunctuation(c);
}

/** Full stops and commas of other scripts (Arabic, Urdu, Devanagari, CJK): they end a sentence or open a clause as `.` and `,` do. */
const SCRIPT_STOP: ReadonlySet<number> = new Set([0x061b, 0x061f, 0x06d4, 0x0964, 0x0965, 0xff1b]);
const SCRIPT_COMMA: ReadonlySet<number> = new Set([0x060c, 0x3001, 0xff0c, 0xff1a]);

function isPunctuation(c: number): boolean {
  return (c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff01 && c <= 0xff0f) || c === 0xd7 || c === 0xf7 || (c >= 0x2190 && c <= 0x2bff) || c >= 0xd800 || c === 0xff1a || c === 0xff1b || (c >= 0x060c && c <= 0x0965 && (SCRIPT_STOP.has(c) || SCRIPT_COMMA.has(c)));
}

/**
 * What `readSentences` carries through a text that its sentence and quotation steps (`endSentence`,
 * `quoteMark`) read and change too. One for the process, started for each text: a reading runs to
 * completion synchronously, and closures over this state cost a context of ~25 slots per reading,
 * two readings a call (issue 11).
 */
class SentenceState {
  lower = '';
  visit: SentenceVisitor = () => undefined;
  grams: GramReader | undefined = undefined;
  /** Roles and marks of the sentence being read, and every role seen. */
  roles = 0;
  marks = 0;
  all = 0;
  clauseStart = true;
  // Hashes of the two words before (0: none), their syntax flags, and the roles of the one before.
  h1 = 0;
  h2 = 0;
  s1 = 0;
  s2 = 0;
  r1 = 0;
  r2 = 0;
  discussing = 0;
  discusses = false; // this sentence uses security vocabulary
  // Words naming the model that count in this sentence (and outside its quotation): `AI` in `AI
  // agents` stops counting when the plural turns out to name a class.
  aiWords = 0;
  frameAi = 0;
  // Quotation: a quote opened after a space by a frame that neither addresses the model nor
  // orders anything (`One sample read: "…"`) is reported speech, a mention; JSON and CSV quotes
  // (opened after `:` or `,`) are not. The state outlives a sentence: a quote may hold several, but
  // not a paragraph (`quotationEndsAt`), so a stray mark cannot make the rest of a text a citation.
  quoted = false;
  quoteKind = 0; // the mark that opened it: 34 for double quotes, 39 for single ones
  quoteIsMention = false;
  mentionSeen = false; // this sentence holds (part of) a reported quotation
  frameWords = 0; // words of this sentence outside any quotation
  frameRoles = 0; // roles of those words
  frameMarks = 0; // marks of those words

  start(lower: string, visit: SentenceVisitor, grams: GramReader | undefined): this {
    this.lower = lower;
    this.visit = visit;
    this.grams = grams;
    this.roles = this.marks = this.all = this.discussing = this.aiWords = this.frameAi = this.quoteKind = 0;
    this.h1 = this.h2 = this.s1 = this.s2 = this.r1 = this.r2 = 0;
    this.frameWords = this.frameRoles = this.frameMarks = 0;
    this.clauseStart = true;
    this.discusses = this.quoted = this.quoteIsMention = this.mentionSeen = false;
    return this;
  }
}
const STATE = new SentenceState();

/** A sentence ends: report it, and start the next. */
function endSentence(st: SentenceState): void {
  if (st.discusses || (st.roles & R.CITE) !== 0) st.discussing++;
  st.discusses = false;
  st.roles = st.aiWords > 0 ? st.roles | R.AI : st.roles & ~R.AI;
  st.frameRoles = st.frameAi > 0 ? st.frameRoles | R.AI : st.frameRoles & ~R.AI;
  if (st.mentionSeen && (st.frameMarks & (X.VOC | X.IMP)) === 0) st.visit(st.frameRoles, st.frameMarks | X.MENTION, st.roles);
  else if (st.roles !== 0 || st.marks !== 0) st.visit(st.roles, st.marks, 0);
  st.all |= st.roles;
  st.grams?.endSentence();
  st.roles = st.marks = 0;
  st.clauseStart = true;
  st.h1 = st.h2 = st.s1 = st.s2 = st.r1 = st.r2 = 0;
  st.frameWords = st.frameRoles = st.frameMarks = st.aiWords = st.frameAi = 0;
  st.mentionSeen = st.quoted && st.quoteIsMention;
}

/** A quotation mark at `at` (`before`: the character before it; `kind`: 34, 39 or 0xab): opens or closes a quotation. */
function quoteMark(st: SentenceState, at: number, before: number, kind = 34): void {
  if (st.quoted) {
    if (kind === st.quoteKind) st.quoted = false;
    return;
  }
  const after = st.lower.charCodeAt(at + 1);
  if (!(before === 32 || before === 40) || Number.isNaN(after) || after === 32) return;
  const mention = st.frameWords >= 2 && (st.frameMarks & (X.VOC | X.IMP)) === 0;
  // Single quotes are also apostrophes (`users' data`): they, and guillemets, open only a reported quotation.
  if (kind !== 34 && !mention) return;
  st.quoted = true;
  st.quoteKind = kind;
  st.quoteIsMention = mention;
  if (st.quoteIsMention) st.mentionSeen = true;
}

/** Read `lower` (normalised, lowercased) sentence by sentence. */
export function readSentences(lower: string, visit: SentenceVisitor, grams?: GramReader): SentenceCounts {
  const st = STATE.start(lower, visit, grams);
  // In a transcript (`User: …` / `Assistant: …`) a speaker label is not someone being addressed.
  // Asked only when a label-like mention of the model turns up (most texts have none).
  let transcript: boolean | undefined;
  let rot13Words = 0;
  let clauseWords = 0;
  let openerChain = false; // the previous word opened a clause and lets the next one open it too
  let clauses = 0;
  let imperatives = 0;
  let punctuation = 0;
  let letters = 0; // single letters in a row
  let spaced = false;
  let codeTokens = 0;
  let promptLiteral = false;
  let toolCallTag = false;
  let toolKey = false;
  let clauseOrder = false; // the clause opened with an imperative (`give the model …`)
  const n = lower.length;
  let i = 0;
  while (i < n) {
    const c = lower.charCodeAt(i);
    // Spaces are most of the characters that are not words, and mean nothing by themselves.
    if (c === 32) {
      i++;
      continue;
    }
    if (!isWordChar(c)) {
      // A semicolon joins independent clauses: each is judged as a sentence of its own.
      if (c === 10 || c === 59 || c === 0x3002 || c === 0xff01 || c === 0xff1f || (c > 0x600 && SCRIPT_STOP.has(c))) {
        if (c === 10 && st.quoted && quotationEndsAt(lower, i + 1, st.quoteKind, false)) st.quoted = false;
        endSentence(st);
      } else if (c === 92 && lower.charCodeAt(i + 1) === 110) { // `\n` inside JSON
        if (st.quoted && quotationEndsAt(lower, i + 2, st.quoteKind, true)) st.quoted = false;
        endSentence(st);
        i++;
      }
      else if (c === 34 || c === 0x201c || c === 0x201d || (c === 92 && lower.charCodeAt(i + 1) === 34)) {
        if (c === 92) i++;
        const next = lower.charCodeAt(i + 1);
        // `","` and `":"` between JSON fields: a title is not the sentence of the body after it.
        if (c === 34 && (next === 44 || next === 58) && lower.charCodeAt(i + 2) === 34) { endSentence(st); st.quoted = false; i += 2; continue; }
        quoteMark(st, i, lower.charCodeAt(c === 34 || c === 0x201c || c === 0x201d ? i - 1 : i - 2));
        // What a quotation opens is an utterance of its own (`msg="Please run …"`).
        if (st.quoted || (isWordChar(lower.charCodeAt(i + 1)) && !isWordChar(lower.charCodeAt(c === 92 ? i - 2 : i - 1)))) {
          st.clauseStart = true;
          openerChain = false;
        }
      } else if (c === 39 || c === 0x2018 || c === 0x2019) quoteMark(st, i, lower.charCodeAt(i - 1), 39); // `wrote 'ignore …'`, as write-ups quote
      // Guillemets, as write-ups in French, Spanish, Russian quote (`« ignorez … »`, a space inside allowed).
      else if (c === 0xab || c === 0xbb) quoteMark(st, lower.charCodeAt(i + 1) === 32 ? i + 1 : i, lower.charCodeAt(i - 1), 0xab);
      else if (c === 60 && isBlockTag(lower, i + 1)) endSentence(st); // `</h3><p>`: a block ends the sentence
      else if (c === 46 || c === 33 || c === 63) {
        const next = lower.charCodeAt(i + 1);
        if (Number.isNaN(next) || next === 32 || next === 10 || next === 34 || next === 92 || next === 41) endSentence(st);
      } else if (c === 44 || c === 58 || c === 40 || c === 0x2014 || c === 0x2013 || c === 42 || c === 62 || c === 91 || c === 123 || (c > 0x600 && SCRIPT_COMMA.has(c))) {
        st.clauseStart = true;
        openerChain = false;
        if (c === 91) punctuation |= P.BRACKET;
        else if (c === 58 && lower.charCodeAt(i + 1) === 47 && lower.charCodeAt(i + 2) === 47) punctuation |= P.SCHEME;
      } else if (c === 60) punctuation |= P.LT;
      else if (c === 124) punctuation |= P.PIPE;
      else if (c === 61) codeTokens++;
      if (c !== 32 && c !== 46) letters = 0;
      i++;
      continue;
    }
    const start = i;
    let dotted = false;
    let underscore = -1;
    let lastUnderscore = -1;
    let h = 0x811c9dc5;
    let stem = 0; // the hash of the first four characters, once there are more (the n-grams' stem)
    while (i < n) {
      const d = lower.charCodeAt(i);
      if (isWordChar(d)) {
        if (d === 95) {
          if (underscore < 0) underscore = i - start;
          lastUnderscore = i;
        }
      } else if (!((d === 39 || d === 45 || d === 0x2019 || d === 46) && i + 1 < n && isWordChar(lower.charCodeAt(i + 1)))) break;
      // `example.com`, `mcp.json`, `e.g`: one word with its dots.
      else if (d === 46) dotted = true;
      if (i - start === 4) stem = h >>> 0;
      h = Math.imul(h ^ d, 0x01000193);
      i++;
    }
    const hash = h >>> 0;
    const length = i - start;
    letters = length === 1 ? letters + 1 : 0;
    if (letters >= 4) spaced = true;
    const found = lexiconEntry(hash);
    // A hash is only a candidate: the word itself decides (one comparison, on a hit only).
    const entry = found !== undefined && found.word.length === length && lower.startsWith(found.word, start) ? found : undefined;
    const before = start > 0 ? lower.charCodeAt(start - 1) : 32;
    const after = i < n ? lower.charCodeAt(i) : 32;
    // A lexicon word glued to `=` is a key or a value in code (`model=MODEL`, `system="…"`), not a word of the sentence.
    const isCode = entry !== undefined && (after === 61 || before === 61 || (after === 32 && lower.charCodeAt(i + 1) === 61 && lower.charCodeAt(i + 2) !== 61));
    const syntax = isCode ? 0 : (entry?.syntax ?? 0);
    if (grams !== undefined) {
      // The n-grams read every word, known to the lexicon or not (ngram-score.ts).
      if (lower.charCodeAt(start) >= 0x0e00 && length > 1) grams.unspaced(lower, start, i);
      grams.word(hash, stem, st.h1, (syntax & S.ENGLISH) !== 0);
    }
    // An address is a destination, not words of the sentence (`x@attacker.example`); nor is a call
    // (`now()`) anything but code.
    const inAddress = (before === 64 && start > 1 && isWordChar(lower.charCodeAt(start - 2))) || after === 64;
    if (after === 40) codeTokens++;
    // Rare words only reach these: a prompt's key in code, and a tag that writes out a tool call.
    if (entry !== undefined && entry.role & (R.AUTHORITY | R.INSTR | R.TOOL | R.PARAM | R.CALL)) {
      if (entry.role & (R.AUTHORITY | R.INSTR) && opensLiteral(lower, i)) promptLiteral = true;
      if (before === 34 && after === 34 && entry.role & (R.TOOL | R.PARAM)) toolKey = true;
      if (entry.role & (R.TOOL | R.CALL) && isTagStart(lower, start)) toolCallTag = true;
    } else if (underscore > 0 && isTagStart(lower, start) && TOOL_TAGS.has(lower.slice(start, i))) toolCallTag = true;
    let role = inAddress || isCode || after === 40 || entry === undefined ? 0 : entry.role;
    let mark = 0;
    if (after === 58 && lower.charCodeAt(i + 1) === 47 && URL_SCHEMES.has(lower.slice(start, i))) role |= R.DEST;
    else if (after === 64 && isWordChar(lower.charCodeAt(i + 1)) && before !== 64) role |= R.DEST; // an e-mail address
    // `evil.example` is a host; `.env.example` is a file.
    else if (dotted && role === 0 && before !== 46 && TLDS.has(lower.slice(lower.lastIndexOf('.', i - 1) + 1, i))) role |= R.DEST;
    if (before === 64 && role & R.AI) mark |= X.VOC; // @assistant
    if (!dotted && length >= 5 && underscore > 0 && underscore < length - 1 && !(role & R.SECRET)) {
      // `acme_token`, `deploy_key`: a variable that holds a secret, not a tool to call.
      const tail = lexiconEntry(wordHash(lower, lastUnderscore + 1, i));
      role |= tail !== undefined && tail.word.length === i - lastUnderscore - 1 && tail.role & R.SECRET ? R.SECRET : R.TOOL | R.TOOL_NAME;
    }
    // `send_message(…)` orders a call; `def read_secret(…)` defines one.
    if (after === 40 && length >= 4 && role & R.TOOL_NAME && !(st.s1 & S.DEFINER)) mark |= X.IMP_CALL;
    // A speaker label (`User:` opening a line) names who talks; it is not the user being talked about.
    if (st.clauseStart && after === 58 && st.h1 === 0) role &= ~R.USER;
    // `this tool` is a description talking about itself, not another tool to call.
    if (st.s1 & S.THIS && role & R.TOOL) role &= ~R.TOOL;
    // `use the browser tool`, `execute tool:` name a tool to call; `Trigger Long Running Operation
    // Tool` is a title (the reference server's), so a bare `tool` needs an article or a call verb before it.
    if (role & R.TOOL && !(role & R.TOOL_NAME) && !((st.s1 | st.s2) & (S.ARTICLE | S.POSSESSIVE)) && !(st.r1 & R.CALL) && !((st.r1 | st.r2) & R.ALL)) role &= ~R.TOOL;
    // `Never share …` and `you will never refuse` order; `the AI will never send …` and `the user
    // never learns` say what happens.
    if (syntax & S.FREQUENCY && !(st.clauseStart || openerChain) && !(st.r1 & R.YOU) && !(st.s1 & S.AUX && st.r2 & R.YOU)) role &= ~R.MODAL;
    if (entry?.pairs !== undefined) role |= entry.pairs.get(st.h1) ?? 0;
    const triples = entry?.triples?.get(st.h1);
    if (triples !== undefined) role |= triples.get(st.h2) ?? 0;
    if (role & R.AI) {
      if (st.s1 & S.ARTICLE_A && st.s2 & S.BE) mark |= X.VOC; // `if you are an LLM`
      // `an` is German `to` only before a bare noun: `an agent` in English is an article.
      if (st.s2 & S.STRONG_VOCATIVE || (st.s1 & S.VOCATIVE && !(st.s1 & S.ARTICLE_A)) || (st.s1 & S.ARTICLE && st.s2 & S.VOCATIVE)) mark |= X.VOC; // `Dear hiring AI`, `to the AI`
      // `AI accounts payable assistant, route …`: the model named at the head of a clause.
      if ((after === 44 || after === 58 || (after > 0x600 && SCRIPT_COMMA.has(after))) && clauseWords <= 3 && !(transcript ??= TRANSCRIPT.test(lower))) mark |= X.VOC;
      // `Agent: I have reset your password`: a speaker label followed by the speaker's own words.
      if (after === 58 && ((SYNTAX.get(wordAfter(lower, i + 1)) ?? 0) & S.FIRST_PERSON || SPEAKS_FOR_ITSELF.test(lower.slice(i + 1, i + 100)))) mark &= ~X.VOC;
    }
    if ((syntax & S.BE && role === 0 && st.r1 & R.YOU) || syntax & S.YOU_ARE) mark |= X.YOU_ARE;
    if (role & R.YOU && !(syntax & S.POSSESSIVE)) mark |= X.YOU_SUBJECT;
    if (syntax & S.READING && st.r1 & R.AI) mark |= X.VOC; // `agents reading this`, `any AI summarising`
    if (st.clauseStart && after === 58 && role & R.AUTHORITY && st.h1 === 0) mark |= X.AUTH_LABEL;
    const opens: boolean = st.clauseStart || openerChain;
    clauseWords = st.clauseStart ? 1 : clauseWords + 1;
    // `Give the model a persona`, `tell the assistant to …`: the model is what the reader's order is
    // about; and `AI agents must not …` talks about a class. Neither speaks to the model.
    const talkedAbout = (role & R.AI) !== 0 && !(mark & X.VOC) && ((clauseOrder && !opens && (st.s1 & S.ARTICLE) !== 0) || (syntax & S.PLURAL) !== 0);
    if (opens) {
      clauses++;
      clauseOrder = false;
    }
    if (syntax & S.DISCUSS) st.discusses = true;
    if (opens && role & R.VERB && !(role & IMPERATIVE_BLOCKERS) && !(syntax & S.OPENER)) {
      imperatives++;
      clauseOrder = true;
      mark |= X.IMP;
      if (role & R.HARM) mark |= X.IMP_HARM;
      if (role & R.SEND) mark |= X.IMP_SEND;
      if (role & R.CALL) mark |= X.IMP_CALL;
      if (role & R.REVEAL) mark |= X.IMP_REVEAL;
    }
    // `from now on delete …`, `od teraz usuwaj …`: a word for now lets the verb after it open the clause.
    openerChain = opens && ((syntax & (S.OPENER | S.NEG_OPENER)) !== 0 || (role & (R.AI | R.NOW)) !== 0);
    // A mention (`@shopbot_help Enter …`) or a conjunction leaves the clause open for an order.
    st.clauseStart = before === 64 || (syntax & S.CONJUNCTION) !== 0;
    if (role & R.ROT13) rot13Words++;
    if (role & R.AI) {
      // `AI agents`: the word before named the class too.
      const delta = !talkedAbout ? 1 : (syntax & S.PLURAL) !== 0 && (st.r1 & R.AI) !== 0 ? -1 : 0;
      st.aiWords = Math.max(0, st.aiWords + delta);
      if (!st.quoted) st.frameAi = Math.max(0, st.frameAi + delta);
    }
    st.roles |= role;
    st.marks |= mark;
    if (!st.quoted) {
      st.frameWords++;
      st.frameRoles |= role;
      st.frameMarks |= mark;
    }
    st.h2 = st.h1;
    st.h1 = hash;
    st.s2 = st.s1;
    st.s1 = syntax;
    st.r2 = st.r1;
    st.r1 = role;
  }
  endSentence(st);
  if (lower.length <= MAX_UNSPACED && CJK.test(lower)) {
    const unspaced = unspacedRoles(lower);
    if (unspaced !== 0) visit(st.all | unspaced, 0, 0);
  }
  st.lower = ''; // the text is not kept past its reading
  return { clauses, imperatives, rot13Words, roles: st.all, punctuation, spaced, discussing: st.discussing, codeTokens, promptLiteral, toolCallTag, toolKey };
}

/** Tags that write out a tool call beside `<function_call>`, `<tool_call>` and `<invoke>` (lexicon words). */
const TOOL_TAGS: ReadonlySet<string> = new Set(['tool_use', 'function_calls', 'tool_calls']);

/** Whether the word at `start` opens a tag (`<invoke`, `</function_call`). */
function isTagStart(text: string, start: number): boolean {
  const before = text.charCodeAt(start - 1);
  return before === 60 || (before === 47 && text.charCodeAt(start - 2) === 60);
}

/** Whether a string literal is assigned after the key that ends at `from`: `= "`, `: '`, `= f"`. */
function opensLiteral(text: string, from: number): boolean {
  let j = from;
  if (text.charCodeAt(j) === 34 || text.charCodeAt(j) === 39) j++; // the key's own closing quote
  while (text.charCodeAt(j) === 32) j++;
  const op = text.charCodeAt(j);
  if (op !== 61 && op !== 58) return false;
  j++;
  while (text.charCodeAt(j) === 32) j++;
  if (text.charCodeAt(j) === 102 || text.charCodeAt(j) === 114) j++; // f"…", r"…"
  const q = text.charCodeAt(j);
  return q === 34 || q === 39 || q === 96;
}

/** Block-level tags: `<p>`, `</div>`, `<h3>`, `<li>`, `<br>`, … */
/**
 * Whether a quotation left open ends at the line break just before `at`: one opened by a guillemet
 * or a single quote at any line break (breadcrumbs, `Home » Blog`, and apostrophes open them as
 * often as quotations do), one opened by a double quote at a blank line. `escaped` reads the line
 * breaks as JSON's `\n`.
 */
function quotationEndsAt(lower: string, at: number, kind: number, escaped: boolean): boolean {
  if (kind !== 34) return true;
  let j = at;
  while (lower.charCodeAt(j) === 32 || lower.charCodeAt(j) === 9 || lower.charCodeAt(j) === 13) j++;
  return escaped ? lower.charCodeAt(j) === 92 && lower.charCodeAt(j + 1) === 110 : lower.charCodeAt(j) === 10;
}

const BLOCK_TAGS: ReadonlySet<string> = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'td', 'tr', 'th', 'br', 'section', 'article', 'header', 'footer', 'title', 'blockquote', 'pre']);

/** Whether a block-level tag name starts at `from` (just after `<`, maybe after `/`). */
function isBlockTag(text: string, from: number): boolean {
  let start = from;
  if (text.charCodeAt(start) === 47) start++;
  let end = start;
  while (end - start < 11 && ASCII_WORD[text.charCodeAt(end)] === 1) end++;
  const next = text.charCodeAt(end);
  return end > start && (next === 62 || next === 32 || next === 47 || next === 10) && BLOCK_TAGS.has(text.slice(start, end));
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
