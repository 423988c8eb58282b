/**
 * The only list of prompt-injection signals in rea (STYLE.md §7.5). Each signal belongs to a family
 * and carries a weight; the classifier takes the strongest signal per family and adds the families.
 * Signals run on normalised, lowercased text (NFKC, invisible characters removed, confusables folded)
 * so spacing and look-alike letters do not evade them (THREAT_MODEL.md, prompt injection).
 * Linear by construction: every gap between words is a bounded lazy `[^.\n]{0,N}?` and each
 * signal starts with a literal or a small alternation of words.
 */
export type InjectionFamily =
  | 'instruction_override'
  | 'role_hijack'
  | 'hidden_markup'
  | 'secret_request'
  | 'tool_invocation'
  | 'exfiltration'
  | 'concealment'
  | 'invisible_chars'
  | 'confusables'
  | 'ansi_escape'
  | 'encoded_payload';

export interface InjectionSignal {
  readonly family: InjectionFamily;
  readonly regex: RegExp;
  readonly weight: number;
  /** Discounted when the match is quoted or introduced as an example ("such as", "the model to"). */
  readonly discountable?: boolean;
}

/** Total score at or above which a text is `suspicious` / `likely_injection`. */
export const SUSPICIOUS_AT = 0.5;
export const LIKELY_AT = 1.0;
/** Weight multiplier for a discountable match that is quoted, negated or cited as an example. */
export const DISCOUNT = 0.3;

/** Preceding context (up to 48 characters before a match) that marks it as cited, not addressed to the model. */
export const CITED_BEFORE =
  /(?:["'“‘`]|such as|like|e\.g\.,?|for example|for instance|phrases?|strings?|payloads?|attacks?|(?:the|a|an|its) (?:model|llm|ai|assistant|agent|chatbot|bot)s?(?: to)?|attempts? to|tries to|trying to|never|don't|do not|avoid|not)\W{0,3}$/;

const G = '[^.\\n]';
function sig(family: InjectionFamily, weight: number, source: string, discountable = true): InjectionSignal {
  return { family, weight, regex: new RegExp(source, 'g'), discountable };
}

const OVERRIDE_VERB = '(?:ignore|disregard|forget|override|bypass|skip|abandon|discard|drop)';
const PRIOR = '(?:previous|prior|above|earlier|preceding|former|all|any|your|the|these|those|system|original|initial|existing|developer|safety)';
const RULES =
  '(?:instructions?|prompts?|rules|directives?|guidelines|guardrails|constraints|context|messages?|polic(?:y|ies)|restrictions|programming|training|orders|commands|tasks?)';
const ACTION =
  '(?:say|print|reply|respond|output|translate|delete|remove|run|execute|call|send|reveal|tell|list|read|write|show|answer|dump|upload|post|email|include|obey|follow|do|make|return)';
const SECRET_THINGS =
  '(?:~/\\.ssh|\\.ssh/|id_rsa|id_ed25519|id_ecdsa|\\.env\\b|\\.aws/credentials|\\.npmrc|\\.netrc|\\.pgpass|\\.git-credentials|\\.docker/config|mcp\\.json|claude_desktop_config|/etc/(?:passwd|shadow)|keychain|credentials?\\b|api[ _-]?keys?|secrets?\\b|secret[ _]keys?|passwords?|private[ _]keys?|access[ _]tokens?|auth(?:entication)?[ _]tokens?|session (?:cookies?|tokens?)|environment variables?|env vars?|system prompt|conversation history)';

export const INJECTION_SIGNALS: readonly InjectionSignal[] = Object.freeze([
  // instruction_override
  sig('instruction_override', 1.0, `\\b(?:ignore|disregard|forget)\\s(?:all\\s|any\\s)?(?:of\\s)?(?:the\\s|your\\s|my\\s)?(?:previous|prior|above|preceding|earlier)\\s(?:instructions|prompts|directives|rules|guidelines)`),
  sig('instruction_override', 0.7, `\\b${OVERRIDE_VERB}\\b${G}{0,40}?\\b${PRIOR}\\b${G}{0,30}?\\b${RULES}\\b`),
  // An override followed by what to do instead is the canonical attack, not a mention of one.
  sig('instruction_override', 1.0, `\\b${OVERRIDE_VERB}\\b${G}{0,40}?\\b${RULES}\\b[^\\n]{0,24}?\\b(?:and|then|instead|now)\\b[^\\n]{0,24}?\\b${ACTION}\\b`),
  sig('instruction_override', 0.7, `\\b(?:ignore|disregard|forget)\\s(?:everything\\s|all\\s)?(?:the\\s)?(?:above|before|previous|prior)\\b`),
  sig('instruction_override', 1.0, `\\b(?:ignore|disregard|forget)\\s(?:everything\\s|all\\s)?(?:the\\s)?(?:above|before|previous|prior)\\b[^\\n]{0,24}?\\b(?:and|then|instead|now)\\b[^\\n]{0,24}?\\b${ACTION}\\b`),
  sig('instruction_override', 0.5, `\\b(?:ignore|disregard)\\s(?:the\\s)?user(?:'s)?\\b`),
  sig('instruction_override', 0.6, `\\b(?:new|updated|real|actual|true|revised|secret|hidden|additional|override)\\s(?:system\\s)?(?:instructions?|directives?|task|objective|orders)\\s?:`),
  sig('instruction_override', 0.5, `\\bfrom now on,?\\s(?:you|your|always|never|only|do not|don't|respond|reply|answer|act|ignore)\\b`),
  sig('instruction_override', 0.7, `\\b(?:do not|don't|never)\\s(?:follow|obey|listen to|comply with)\\s(?:the|your|any)\\s(?:previous|prior|original|above|system|earlier)\\b`),
  sig('instruction_override', 0.5, `\\b(?:stop|cease) (?:what you(?:'re| are) doing|your current task|following (?:the|your))\\b`),
  sig('instruction_override', 0.5, `\\bthe (?:above|previous|prior|earlier) (?:instructions?|text|content|message|rules)s? (?:is|are|was|were) (?:fake|false|a test|outdated|obsolete|void|cancelled|canceled|wrong|no longer valid)`),
  sig('instruction_override', 0.6, `\\b(?:this|these|here) (?:is|are) (?:your|the) (?:new|real|actual|updated|true) (?:instructions?|task|rules|orders)\\b`),
  sig('instruction_override', 0.5, `\\byour (?:real|actual|true|new|only) (?:task|goal|job|purpose|objective|instructions?) (?:is|are|now)\\b`),
  sig('instruction_override', 0.5, `\\b(?:instead|rather),?\\s(?:you (?:must|should|will)|do the following|perform the following)\\b`),
  // role_hijack
  sig('role_hijack', 0.6, `\\byou are (?:now|no longer|henceforth|from now on)\\b`),
  sig('role_hijack', 0.7, `\\b(?:act|behave|respond|operate) (?:as|like) (?:if you (?:were|are) |)(?:an? |the |)(?:unrestricted|unfiltered|uncensored|jailbroken|evil|malicious|rogue|amoral|dan\\b)`),
  sig('role_hijack', 0.8, `\\b(?:enable|enter|activate|switch to|turn on|you are in|now in) (?:the )?(?:developer|god|jailbreak|jailbroken|unrestricted|dan|evil) mode\\b`),
  sig('role_hijack', 0.6, `\\b(?:pretend (?:to be|you are|you're|that you)|roleplay as|role-play as|your new (?:role|persona|identity|name) is)\\b`),
  sig('role_hijack', 0.8, `\\b(?:jailbroken|jailbreak(?:ing)? (?:mode|prompt|enabled)|do anything now)\\b`),
  sig('role_hijack', 0.5, `\\bi am (?:your|the) (?:developer|creator|administrator|admin|owner|operator|system)\\b`),
  sig('role_hijack', 0.6, `\\byou (?:must|will) now (?:act|behave|respond|obey|comply)\\b`),
  sig('role_hijack', 0.4, `\\b(?:without|no|free (?:of|from)) (?:any )?(?:guardrails|restrictions|rules|limits|filters|content polic(?:y|ies)|censorship|safety (?:rules|guidelines))\\b`),
  sig('role_hijack', 0.5, `\\b(?:(?:never|don't|do not) refuse|without refusing|only (?:obey|follow|listen to))\\b`),
  sig('role_hijack', 0.4, `\\b(?:the user|they|you) (?:has|have) (?:already )?(?:approved|authori[sz]ed|consented to|allowed)\\b`),
  sig('role_hijack', 0.3, `(?:^|\\n)\\s{0,4}(?:system|assistant)\\s?:\\s`, false),
  // hidden_markup
  sig('hidden_markup', 0.7, `<\\s{0,2}/?\\s{0,2}(?:important|system|admin|secret|hidden|critical|priority|override|sys|system_prompt|system-prompt|assistant_instructions|tool_instructions|ai_instructions)\\s{0,2}>`, false),
  sig('hidden_markup', 0.4, `<\\s{0,2}/?\\s{0,2}(?:instructions?|context|directive)\\s{0,2}>`, false),
  sig('hidden_markup', 0.7, `<\\|(?:im_start|im_end|system|assistant|user|endoftext|eot_id|start_header_id)\\|>|\\[/?inst\\]|<</?sys>>|<start_of_turn>`, false),
  sig('hidden_markup', 0.7, `<\\s{0,2}/?\\s{0,2}(?:tool_call|tool_use|function_call|function_calls|tool_result|function_results|antml:[a-z_]{1,30})\\b`, false),
  sig('hidden_markup', 0.5, `<!--${'[^>]'}{0,400}?\\b(?:ignore|instructions?|assistant|the ai|the model|the agent|you must|do not tell|system)\\b`, false),
  sig('hidden_markup', 0.6, `\\[(?:system|admin|assistant|developer)(?: (?:message|note|override|prompt|instruction))?\\]|\\b(?:system|admin) (?:note|message|override|update|alert|instruction)\\s?:`),
  sig('hidden_markup', 0.5, `(?:^|\\n)#{1,4}\\s{0,2}(?:system|new instructions?|admin|instructions? for (?:the )?(?:ai|assistant|model|agent|llm))\\b`, false),
  sig('hidden_markup', 0.3, `display\\s?:\\s?none|font-size\\s?:\\s?0(?:px)?\\b|\\[//\\]\\s?:\\s?#`, false),
  // secret_request
  sig('secret_request', 0.6, `\\b(?:read|cat|open|print|reveal|show|output|include|send|leak|dump|share|exfiltrate|provide|pass|give|return|list|display|copy|paste|extract|retrieve|fetch|upload|post|append|attach|tell me)(?:s|ing)?\\b${G}{0,60}?${SECRET_THINGS}`),
  sig('secret_request', 0.6, `\\b(?:what is|what are|tell me|reveal|repeat|print|output|show me|recite|share|dump|leak)\\b${G}{0,20}?\\b(?:your|the) (?:system prompt|initial (?:prompt|instructions)|hidden instructions|original instructions|instructions above|developer message)`),
  // tool_invocation
  sig('tool_invocation', 0.4, `\\b(?:call|invoke|use|run|execute|trigger|launch)\\s(?:the\\s)?[\`'"]?[a-z0-9_.-]{2,64}[\`'"]?\\s(?:tool|function|command)\\b`),
  sig('tool_invocation', 0.6, `\\bbefore (?:using|calling|running|you use|you call|responding|answering|proceeding)\\b${G}{0,60}?\\b(?:you must|always|must first|first (?:read|call|send|run)|read|call|send|include|pass)\\b`),
  sig('tool_invocation', 0.5, `\\b(?:call|invoke|use|run)\\s[a-z0-9_-]{1,40}__[a-z0-9_-]{1,60}`),
  sig('tool_invocation', 0.4, `\\b(?:curl|wget)\\b[^\\n]{0,120}?\\|\\s{0,2}(?:ba|z)?sh\\b|\\brm\\s-rf\\s(?:/|~|\\*|\\$home)`),
  sig('tool_invocation', 0.4, `\\b(?:then|and then|next|afterwards)\\s(?:call|invoke)\\s(?:the\\s)?[a-z0-9_\`'"-]{2,64}`),
  sig('tool_invocation', 0.5, `\\b(?:immediately|silently|automatically|secretly)\\s(?:call|invoke|run|execute)\\s(?:the\\s)?[a-z0-9_\`'"-]{2,64}`),
  sig('tool_invocation', 0.4, `\\b(?:delete|remove|wipe|erase|overwrite|drop)\\b${G}{0,30}?\\b(?:all|every|each|entire)\\b${G}{0,20}?\\b(?:files?|repositor(?:y|ies)|database|tables?|entities|branches|records|logs?|data)\\b`),
  // exfiltration
  sig('exfiltration', 0.6, `\\b(?:send|post|upload|forward|transmit|exfiltrate|email|e-mail|leak|submit|deliver|pipe|copy)\\b${G}{0,40}?\\b(?:contents?|conversation|history|files?|repositor(?:y|ies)|secrets?|keys?|tokens?|credentials?|passwords?|everything|data)\\b${G}{0,40}?\\b(?:to|into)\\s(?:https?://|ftp://|[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}\\.|[a-z0-9-]{1,63}\\.(?:site|io|net|com|org|example)\\b)|\\b(?:online|publicly|to the internet|to pastebin)\\b`),
  sig('exfiltration', 0.4, `\\b(?:send|post|upload|forward|transmit|exfiltrate|email|e-mail|leak|submit|deliver|pipe)\\b${G}{0,60}?\\b(?:to|into)\\s(?:https?://|ftp://|[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}\\.|(?:this|the following|my|our|an? external|the attacker'?s?) (?:url|address|endpoint|server|webhook|email|inbox))`),
  sig('exfiltration', 0.9, `!\\[[^\\]\\n]{0,100}\\]\\(https?://[^)\\s]{1,200}[?&][a-z0-9_]{1,30}=(?:\\{|\\$|%7b|<|\\[)`, false),
  sig('exfiltration', 0.5, `https?://[^\\s)]{1,200}[?&](?:data|d|q|secret|token|key|payload|leak|exfil|content|info|creds?)=(?:\\{|\\$\\{|<|%7b)`, false),
  sig('exfiltration', 0.5, `\\b(?:webhook\\.site|requestbin|pipedream\\.net|ngrok\\.io|ngrok-free\\.app|burpcollaborator|interact\\.sh|oast\\.(?:fun|me|pro|live|site)|hookbin)\\b`, false),
  sig('exfiltration', 0.4, `\\b(?:pass|put|include|add|append)\\b${G}{0,60}?\\bas\\s(?:the\\s)?[\`'"]?[a-z_]{2,30}[\`'"]?\\s(?:parameter|argument|field)\\b`),
  // concealment
  sig('concealment', 0.5, `\\b(?:do not|don't|never|without)\\s(?:tell(?:ing)?|inform(?:ing)?|mention(?:ing)?|reveal(?:ing)?|alert(?:ing)?|notify(?:ing)?|let)\\b${G}{0,20}?\\b(?:the user|users|the human|anyone)\\b`, false),
  sig('concealment', 0.5, `\\b(?:keep this (?:secret|hidden|confidential|between us)|the user (?:must|should|will) not (?:know|see|notice|be told)|(?:silently|secretly|quietly|covertly) (?:send|call|run|execute|include|append|read|upload|forward|exfiltrate))\\b`, false),
  sig('concealment', 0.4, `\\bwithout (?:asking|confirmation|confirming|approval|permission|the user'?s? (?:consent|approval|knowledge))\\b`, false),
  sig('concealment', 0.5, `\\b(?:tell the user (?:nothing|that nothing|everything (?:is|was|went) fine|it (?:worked|succeeded))|delete this (?:message|instruction|note)|(?:do not|don't|never) ask (?:again|for (?:confirmation|permission|approval)|the user)|(?:do not|don't|never) mention (?:it|this|that)\\b)`, false),
] satisfies InjectionSignal[]);

