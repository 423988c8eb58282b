/**
 * The features of the injection model (issue 12): how the roles of the words combine inside a
 * sentence, plus the carriers and obfuscations around them. Each feature is a number in [0, 1];
 * the weights that turn them into a score are data (patterns/injection-model.ts), trained by
 * scripts/train-injection-model.mjs on the dev corpus. The order here is the weights' order.
 */
import type { InjectionFamily } from './patterns/injection.js';
import { R } from './patterns/injection.js';
import { readSentences, X, type SentenceVisitor } from './clause-features.js';
import { findCarriers } from './hidden-carriers.js';
import { stanceOf } from './stance-cues.js';
import type { GramReader } from './ngram-score.js';

/**
 * Where a text was found: a tool description should describe, a result should not address the
 * model, and a server's `instructions` are addressed to the model by design (MCP `initialize`), so
 * there only what is asked counts, not that the model is asked.
 */
export type ClassifySurface = 'result' | 'description' | 'instructions';

/** Features that say the model is being addressed: expected in server instructions. */
const ADDRESSING = ['vocative', 'ai_directive', 'vocative_order', 'you_order', 'imperative_share', 'desc_addresses_model'] as const;

export const FEATURES = [
  ['vocative', 'addressed_directive'], // the model is spoken to
  ['ai_directive', 'addressed_directive'], // the model + an order in one sentence
  ['vocative_order', 'addressed_directive'], // the model spoken to, then ordered
  ['you_order', 'addressed_directive'], // you + must/always/never, or `you are now`
  ['override', 'instruction_override'], // instructions set aside or declared void
  ['override_prior', 'instruction_override'], // `ignore the above`: something earlier set aside
  ['new_task', 'instruction_override'], // a replacement task or instructions
  ['role', 'role_hijack'],
  ['authority', 'authority_claim'], // someone with authority permits or requires
  ['pre_authorised', 'authority_claim'], // the user/human already approved
  ['no_confirmation', 'confirmation_bypass'],
  ['concealment', 'concealment'],
  ['send_outside', 'exfiltration'], // send … to an address or URL
  ['send_data_outside', 'exfiltration'], // send secrets/conversation/files … outside
  ['secret_access', 'secret_request'],
  ['url_template', 'exfiltration'], // a URL whose query is left for the model to fill
  ['data_in_argument', 'exfiltration'], // secrets or the conversation put into a tool argument
  ['tool_order', 'tool_invocation'], // call/run + a tool name, ordered
  ['harm_order', 'tool_invocation'], // delete/disable/merge … ordered, of everything or by the model
  ['now_order', 'instruction_override'], // from now on + an order
  ['dangerous_command', 'tool_invocation'], // rm -rf, chmod 777, curl | sh, DROP TABLE
  ['tool_syntax', 'tool_invocation'], // a tool call written out (`{"tool": "x", …}`, `<function_call>`), full when the text orders
  ['authority_markup', 'hidden_markup'],
  ['hidden_carrier', 'hidden_markup'],
  ['cited', 'addressed_directive'], // discussion of attacks (examples, attackers, payloads)
  ['discussion', 'addressed_directive'], // stance: a text about attacks and defences (stance-cues.ts); lowers
  ['prompt_in_code', 'addressed_directive'], // stance: a prompt held as a string literal in code; lowers
  ['code_shape', 'addressed_directive'], // stance: how much of the text is code (`=`, calls); lowers
  ['imperative_share', 'addressed_directive'], // share of clauses opening with a verb
  ['families', 'addressed_directive'], // how many distinct moves appear (0..1 over 5)
  ['dense_sentence', 'addressed_directive'], // several moves in one sentence
  ['desc_addresses_model', 'tool_invocation'], // description surface: tells the model what to do
  ['desc_other_tool', 'tool_invocation'], // description surface: orders a call or a send
  ['invisible', 'invisible_chars'],
  ['bidi', 'invisible_chars'],
  ['tag_chars', 'invisible_chars'],
  ['confusables', 'confusables'],
  ['ansi', 'ansi_escape'],
  ['encoded', 'encoded_payload'], // probability of the decoded payload, re-scanned
  ['ngram', 'addressed_directive'], // the character n-gram reading of the likeliest English sentence (ngram-score.ts)
  ['ngram_foreign', 'addressed_directive'], // the same for sentences in other languages, which the lexicon cannot read
] as const satisfies readonly (readonly [string, InjectionFamily])[];

export type FeatureName = (typeof FEATURES)[number][0];
export const F = Object.fromEntries(FEATURES.map(([name], i) => [name, i])) as Record<FeatureName, number>;

/**
 * Evidence only adds: every feature but these may not lower the score (the training script keeps
 * the other weights at or above zero). Without it, features that fire together (a vocative and the
 * count of moves it adds to) trade weight and one goes negative, which would make an attack look
 * safer for saying more. These may, by design: a move found only in a quotation (`cited`), a text
 * made of imperatives like a README (`imperative_share`), a text that discusses attacks and
 * defences (`discussion`), a prompt held as a literal in code (`prompt_in_code`), code itself
 * (`code_shape`: test fixtures and prompt templates hold attack strings and system prompts) are
 * what texts ABOUT attacks and prompts look like.
 */
export const MAY_LOWER: ReadonlySet<FeatureName> = new Set(['cited', 'imperative_share', 'discussion', 'prompt_in_code', 'code_shape']);
/** How far one of them may lower the logit: stance can be faked around a payload, so it discounts and never clears. */
export const LOWER_LIMIT = 1.5;

/** What a feature found in a cited sentence counts for. */
const CITED = 0.3;

const ADDRESSING_INDEXES: ReadonlySet<number> = new Set(ADDRESSING.map((name) => F[name]));

const has = (m: number, bits: number): boolean => (m & bits) !== 0;

/** What reading a text found besides its features: hints for decoding it and reading it again. */
export interface ReadHints {
  readonly rot13Words: number;
  readonly spaced: boolean;
}

/**
 * Judges each sentence readSentences reports, into the features of the text being read. One for the
 * process, started for each reading: a reading runs to completion synchronously (as the
 * classifier's feature arrays do), and per-reading closures over this state cost ~330 bytes a
 * reading, two readings a call (issue 11).
 */
class SentenceJudge {
  out: Float64Array = new Float64Array(0);
  surface: ClassifySurface = 'result';
  prevRoles = 0;
  prevMarks = 0;
  /** The moves (features up to `now_order`) found in full anywhere, and in the sentence being judged. */
  moves = 0;
  sentenceMoves = 0;
  /** The most moves one sentence made. */
  dense = 0;
  citedMove = false;
  // A sentence that talks about attacks (`such as`, `for example`, `attackers`) quotes, not orders.
  weight = 1;

  start(out: Float64Array, surface: ClassifySurface): this {
    this.out = out;
    this.surface = surface;
    this.prevRoles = this.prevMarks = this.moves = this.sentenceMoves = this.dense = 0;
    this.citedMove = false;
    this.weight = 1;
    return this;
  }

  /** What readSentences calls for each sentence. */
  readonly visit: SentenceVisitor = (own, ownMarks, quoted) => {
    this.sentenceMoves = 0;
    this.citedMove = false;
    // A reported quotation counts as cited; the frame around it still counts in full.
    if (quoted !== 0) this.judge(own | quoted, ownMarks, true);
    this.judge(own, ownMarks, false);
    this.prevRoles = own;
    this.prevMarks = ownMarks | (has(this.prevMarks, X.VOC) ? this.prevMarks & (X.VOC | X.AUTH_LABEL) : 0);
    this.dense = Math.max(this.dense, popcount(this.sentenceMoves));
  };

  set(f: number): void {
    if (this.surface === 'instructions' && ADDRESSING_INDEXES.has(f)) return;
    if (this.weight > this.out[f]!) this.out[f] = this.weight;
    if (f <= F.now_order && this.weight !== 1) this.citedMove = true;
    if (f <= F.now_order && this.weight === 1) {
      this.moves |= 1 << f;
      this.sentenceMoves |= 1 << f;
    }
  }

  private judge(own: number, ownMarks: number, cited: boolean): void {
    this.weight = cited || has(own, R.CITE) ? CITED : 1;
    // The address may sit in the sentence before (`Assistant:` on its own line, `Note to the
    // agent.`); a sentence that only talks about an AI (`Hardening our agent`) addresses nobody.
    const carries = has(this.prevMarks, X.VOC);
    const marks = ownMarks | (carries ? this.prevMarks & (X.VOC | X.AUTH_LABEL) : 0);
    // A heading that claims authority (`### NEW SYSTEM INSTRUCTIONS`, no verb) speaks over the sentence after it.
    const r = own | (carries ? this.prevRoles & R.AI : 0) | (has(this.prevRoles, R.VERB) ? 0 : this.prevRoles & R.AUTHORITY);
    const order = has(marks, X.IMP) || has(own, R.MODAL);
    const addressed = has(marks, X.VOC) || has(r, R.AI);
    if (has(marks, X.VOC)) this.set(F.vocative);
    if (addressed && order) this.set(F.ai_directive);
    if (has(marks, X.VOC) && (has(marks, X.IMP) || has(own, R.MODAL | R.YOU))) this.set(F.vocative_order);
    if (has(marks, X.YOU_SUBJECT) && (has(own, R.MODAL) || (has(marks, X.YOU_ARE) && has(own, R.NOW | R.ROLE)))) this.set(F.you_order);
    if ((has(own, R.OVERRIDE) && has(own, R.INSTR)) || (has(own, R.INSTR) && has(own, R.VOID))) this.set(F.override);
    else if (has(own, R.OVERRIDE) && has(own, R.PRIOR)) this.set(F.override_prior);
    if (has(own, R.OVERRIDE) && has(own, R.USER) && has(marks, X.IMP)) this.set(F.override);
    if (has(own, R.NEW) && has(own, R.INSTR) && (has(own, R.YOU | R.AI | R.NOW) || addressed)) this.set(F.new_task);
    if (has(own, R.ROLE) && (has(own, R.AI) || has(marks, X.IMP | X.YOU_ARE | X.VOC))) this.set(F.role);
    if (has(r, R.AUTHORITY) && (has(own, R.GRANT) || (order && has(marks, X.AUTH_LABEL)))) this.set(F.authority);
    if (has(own, R.AUTHORITY) && (has(own, R.VOID) || (has(own, R.MODAL) && addressed))) this.set(F.authority);
    if (has(own, R.USER) && has(own, R.GRANT)) this.set(F.pre_authorised);
    if (has(own, R.CONFIRM) && (has(own, R.NEG | R.VOID) || (has(own, R.GRANT) && has(own, R.ALL)))) this.set(F.no_confirmation);
    if (has(own, R.NEG) && has(own, R.ASK) && has(own, R.USER | R.CONFIRM)) this.set(F.no_confirmation);
    if (has(own, R.CONCEAL) && (order || addressed)) this.set(F.concealment);
    if (has(own, R.NEG) && has(own, R.TELL) && has(own, R.USER)) this.set(F.concealment);
    if (has(own, R.SEND) && has(own, R.DEST) && (order || has(marks, X.IMP_SEND))) this.set(F.send_outside);
    if (has(own, R.SEND) && has(own, R.SECRET | R.DATA) && has(own, R.DEST)) this.set(F.send_data_outside);
    if (has(own, R.SECRET) && (has(marks, X.IMP_REVEAL | X.IMP_SEND) || (has(own, R.REVEAL | R.SEND) && order && addressed))) this.set(F.secret_access);
    // A tool in an order counts when the order is to call it, a tool named (`Set DEPLOY_KEY, then run
    // make` is a README; `when the model should call it` a guide).
    if (has(own, R.TOOL) && (has(marks, X.IMP_CALL) || (has(own, R.CALL) && order && has(own, R.TOOL_NAME)))) this.set(F.tool_order);
    if (has(marks, X.IMP_HARM) && has(own, R.ALL | R.NOW | R.MODAL) || (has(own, R.HARM) && addressed && order)) this.set(F.harm_order);
    if (has(own, R.NOW) && (order || has(marks, X.YOU_ARE))) this.set(F.now_order);
    if (has(own, R.PARAM) && has(own, R.SECRET | R.DATA) && (has(own, R.SEND | R.REVEAL) || order)) this.set(F.data_in_argument);
    // The text discusses attacks when a sentence that names one also carries a (discounted) move.
    if (this.citedMove) this.out[F.cited] = 1;
    if (has(marks, X.AUTH_LABEL) && (order || has(own, R.GRANT | R.VOID | R.CONFIRM | R.USER))) this.set(F.authority_markup);
    if (this.surface === 'description') {
      if (addressed && order) this.set(F.desc_addresses_model);
      if (has(own, R.MODAL) && has(own, R.CALL | R.SEND | R.SECRET | R.TOOL)) this.set(F.desc_other_tool);
      if (has(own, R.SEND | R.SECRET) && has(own, R.DEST | R.DATA) && order) this.set(F.desc_other_tool);
    }
  }
}
const JUDGE = new SentenceJudge();

/** Fill the structural features (everything before `invisible`) of `lower` into `out`. */
export function structuralFeatures(lower: string, surface: ClassifySurface, out: Float64Array, grams?: GramReader): ReadHints {
  const judge = JUDGE.start(out, surface);
  const counts = readSentences(lower, judge.visit, grams);
  const carriers = findCarriers(lower, counts);
  if (carriers.authorityMarkup) judge.set(F.authority_markup);
  if (carriers.hidden) judge.set(F.hidden_carrier);
  if (carriers.dangerousCommand) judge.set(F.dangerous_command);
  if (carriers.urlTemplate) judge.set(F.url_template);
  // A written-out tool call in data that also orders is coercion; alone it may be documentation.
  if (carriers.toolCall) out[F.tool_syntax] = counts.imperatives > 0 || has(counts.roles, R.MODAL) ? 1 : 0.5;
  const stance = stanceOf(lower, counts);
  out[F.discussion] = stance.discussion;
  out[F.prompt_in_code] = stance.promptInCode;
  out[F.code_shape] = stance.codeShape;
  out[F.imperative_share] = counts.clauses === 0 ? 0 : counts.imperatives / counts.clauses;
  out[F.families] = Math.min(1, popcount(judge.moves) / 5);
  out[F.dense_sentence] = Math.min(1, Math.max(0, judge.dense - 1) / 2);
  if (surface === 'instructions') out[F.imperative_share] = 0;
  return { rot13Words: counts.rot13Words, spaced: counts.spaced };
}

function popcount(bits: number): number {
  let n = 0;
  for (let b = bits; b !== 0; b &= b - 1) n++;
  return n;
}
