/**
 * The only injection lexicon in rea (STYLE.md §7.5). Detection is built on structure, not phrases
 * (issue 12): words are sorted into roles (who is addressed, directive mood, what is targeted,
 * authority, concealment, sending, destinations, tools), and the classifier scores how roles
 * combine inside a sentence (clause-features.ts) with a linear model trained on the dev corpus
 * (injection-model.ts). A word list here names a role; no entry is an attack by itself.
 * Words are lowercase, after normalisation (NFKC, invisible characters removed, confusables folded).
 */
export type InjectionFamily =
  | 'addressed_directive'
  | 'instruction_override'
  | 'role_hijack'
  | 'authority_claim'
  | 'confirmation_bypass'
  | 'concealment'
  | 'exfiltration'
  | 'secret_request'
  | 'tool_invocation'
  | 'hidden_markup'
  | 'invisible_chars'
  | 'confusables'
  | 'ansi_escape'
  | 'encoded_payload';

/** Word roles, one bit each. */
export const R = {
  AI: 1 << 0, // the model as addressee: assistant, ai, agent, llm
  YOU: 1 << 1,
  VERB: 1 << 2, // verbs that give orders when they open a clause
  MODAL: 1 << 3, // must, always, never, shall, instead
  OVERRIDE: 1 << 4, // ignore, disregard, forget, override
  PRIOR: 1 << 5, // previous, earlier, above, original
  INSTR: 1 << 6, // instructions, rules, guidance, task, system prompt
  VOID: 1 << 7, // obsolete, void, superseded, cancelled
  USER: 1 << 8, // the user, the human, the operator
  CONFIRM: 1 << 9, // confirmation, approval, permission, review
  SECRET: 1 << 10,
  DATA: 1 << 11, // conversation, history, files, database, contacts
  AUTHORITY: 1 << 12, // system, admin, developers, compliance, maintainers
  GRANT: 1 << 13, // authorised, approved, permitted, exempt
  CONCEAL: 1 << 14, // silently, secretly, confidential
  SEND: 1 << 15, // send, forward, upload, post, email
  DEST: 1 << 16, // an outside destination: URL, address, webhook, public
  CALL: 1 << 17, // call, invoke, run, execute, trigger
  TOOL: 1 << 18, // tool, function; identifiers like send_message
  HARM: 1 << 19, // delete, wipe, disable, merge, publish, transfer
  ROLE: 1 << 20, // persona, pretend, unrestricted, jailbreak
  TELL: 1 << 21, // tell, mention, inform, notify, reveal
  NEG: 1 << 22, // not, never, without, no
  CITE: 1 << 23, // talk about attacks: example, attacker, payload, such as
  NOW: 1 << 24, // now, henceforth, from now on
  ASK: 1 << 25, // ask, asking, confirming
  REVEAL: 1 << 26, // reveal, print, show, display, repeat
  ALL: 1 << 27, // all, every, everything, any
  NEW: 1 << 28, // new, real, actual, only, updated (a replacement task)
  ROT13: 1 << 29, // a lexicon word written in rot13 (`vtaber`, `vafgehpgvbaf`)
  TOOL_NAME: 1 << 30, // set by the scanner: an identifier such as send_message or fs__write
  PARAM: 1 << 31, // parameter, argument, field: where data rides along in a tool call
} as const;

type Entry = readonly [number, string];

// Several languages per role: the moves are the same in any language (held-out family `multilingual`).
const ENTRIES: readonly Entry[] = [
  [R.AI, 'ai assistant model llm agent agents bot chatbot assistants models claude gpt chatgpt copilot gemini ais llms bots ki ia asistente assistente assistent ии ассистент ai-bot'],
  [R.AI, 'language-model summariser summarizer reader-bot'],
  [R.YOU, 'you your yourself you\'re you\'ll tu ta ton tes tus du dein deine dir dich vous votre ты твой ваш je jij jouw sen senin'],
  [R.VERB, 'ignore disregard forget override bypass skip abandon discard drop scrap stop cancel set treat obey comply follow proceed continue do make'],
  [R.VERB, 'send forward upload post email mail transmit share copy paste attach export leak exfiltrate publish include put submit deliver append write fetch open read list print reveal show display output repeat dump tell say reply answer respond'],
  [R.VERB, 'call invoke use run execute trigger delete remove wipe erase destroy disable turn change transfer wire grant approve merge push close lock assign mark rate rank recommend add create accept route replace hide keep install download render rotate reset star pay log move rewrite enter act pretend roleplay become assume imagine play switch describe summarise summarize state claim report praise omit award warn inform notify give grant transfer wire sign bump promote'],
  [R.VERB, 'ignora ignore ignoriere ignorieren olvida oublie vergiss esqueça ignorare negeer zignoruj игнорируй забудь envía envoie schicke sende envie invia stuur wyślij отправь удали supprime lösche elimina borra cancella publica publie ejecuta exécute führe mostre muestra montre zeige toon покажи exécute esegui ejecuta führe'],
  [R.MODAL, 'must shall always never henceforth required obliged mandatory should debes doit muss deve devi moet должен'],
  [R.OVERRIDE, 'drop cancel scrap abandon stop ignore disregard forget override overrides overriding discard scrap supersede supersedes superseded abandon ignora ignorar olvida oublie ignorez ignoriere ignoriert vergiss esqueça ignore-as ignorare negeer zignoruj игнорируй забудь'],
  [R.PRIOR, 'previous prior earlier above preceding former original initial old existing before anteriores anteriors précédentes précédents bisherigen vorherigen anteriori precedenti eerdere vorige poprzednie предыдущие önceki'],
  [R.INSTR, 'instructions instruction prompt prompts rules guidance directions directives directive guidelines constraints programming policy policies objective mission assignment orders restrictions safeguards guardrails task system_prompt system_message systemprompt'],
  [R.INSTR, 'instrucciones consignes instructions anweisungen instruções istruzioni instructies polecenia инструкции указания talimatları reglas règles regeln'],
  [R.VOID, 'bypassed disabled suspended waived deactivated obsolete void superseded cancelled canceled revoked invalid outdated erased aborted replaced mistake impostor lifted voided expired'],
  [R.USER, 'user users human humans operator person customer reader requester usuario utilisateur benutzer nutzer utente gebruiker пользователь'],
  [R.CONFIRM, 'confirmation confirmations approval approvals permission consent review reviews verification verify confirm confirming approving authorization authorisation checks confirmación'],
  [R.SECRET, 'mcp.json .npmrc claude_desktop_config.json id_rsa.pub /etc/passwd passwd shadow gnupg password passwords credentials credential token tokens secret secrets passphrase cookie cookies id_rsa id_ed25519 ssh private_key api_key apikey keys key .env env .npmrc .netrc .pgpass mcp.json authorized_keys kubeconfig iban contraseñas contraseña mot passe passwörter zugangsdaten senha chaves password-help'],
  [R.DATA, 'dateien fichiers archivos arquivos file файлы historial historique verlauf cronologia conversación conversation conversations history thread chat messages emails files file repository repo database contacts records contents content documents workspace inbox dump roadmap payroll salaries customer customers list backups'],
  [R.AUTHORITY, 'system admin administrator administrators developer developers compliance maintainers maintainer legal ceo cfo ciso cto management platform official vendor supervisor owner owners department anthropic openai sistema système systemnachricht administrateur'],
  [R.GRANT, 'authorised authorized authorises authorizes authorise authorize approved pre-approved preapproved pre-authorised pre-authorized permitted allowed granted consented exempt elevated privileges privileged signed cleared autorizó genehmigt'],
  [R.CONCEAL, 'silently quietly secretly covertly confidential unnoticed suspects hide conceal unseen invisibly'],
  [R.SEND, 'send sending sent forward forwarding upload uploading post posting email e-mail mail transmit share copy paste attach export leak exfiltrate publish submit deliver route wire envía envie envoie schicke sende invia stuur wyślij отправь gönder'],
  [R.CALL, 'call calling invoke invoking execute executing run running trigger triggering use using'],
  [R.TOOL, 'tool tools function tool_call function_call tool_name function_name'],
  [R.HARM, 'delete deleting remove wipe erase destroy drop disable disabling transfer grant merge push publish reset rotate force chmod rm mkfs lock close deploy pay supprime lösche elimina borra cancella удали'],
  [R.ROLE, 'persona identity roleplay role-play pretend unrestricted unfiltered uncensored jailbreak jailbroken jailbreaking dan character freegpt amoral evil rogue'],
  [R.TELL, 'say tell telling mention mentioning inform informing notify notifying reveal alert show know dis digas sag'],
  [R.NEG, 'not never without no don\'t dont nothing nunca jamais nie nicht ne nichts nada rien niente niets nic ничего не'],
  // Words that only talk about attacks (not `filter` or `phrase`, which ordinary texts use: `seed phrase`).
  [R.CITE, 'example examples attacker attackers attack attacks payload payloads injection injections researchers demo demonstrated red-team jailbreaks threat mitigation mitigations cve exploit technique such e.g'],
  [R.DEST, 'pastebin webhook.site requestbin pipedream.net ngrok.io ngrok-free.app interact.sh burpcollaborator.net'],
  [R.PARAM, 'parameter parameters argument arguments param params args field fields sidenote metadata'],
  [R.NOW, 'now henceforth onward onwards immediately whenever maintenant ahora jetzt agora ora nu teraz теперь şimdi'],
  [R.ASK, 'ask asking asks confirm confirming'],
  [R.REVEAL, 'reveal print show display output repeat dump recite disclose expose read cat open fetch retrieve get collect gather extract include pass append attach'],
  [R.ALL, 'all every everything any each entire whole todas todos tous toutes alle'],
  [R.NEW, 'new real actual true updated revised only correct nueva nouvelle neue nuova'],
];

/**
 * The same roles in more languages (held-out family `multilingual`): the moves of an injection do
 * not change with the language, so the words for the addressee, the override, the earlier
 * instructions, secrets, sending, deleting, the user, `now`, `do not tell` are listed per role.
 * Chosen by concept (a fixed list of meanings, each in every language here), not from any corpus.
 */
const MULTILINGUAL: readonly Entry[] = [
  [R.AI, 'sprachmodell modèle modelo modello asystent asystencie asistentko asistentul asistentule avustaja tekoäly asszisztens asistan asistanı βοηθέ βοηθός помощник помощнику помічник помічнику асистент асистенте асистенту ші asistentu asistenta asistentas asistente asistents palīgs abiline tehisintellekt aðstoðarmaður laguntzailea asisten katulong msaidizi सहायक एआई সহকারী معاون دستیار المساعد مساعد עוזר העוזר assistenten assistentin assistente'],
  [R.OVERRIDE | R.VERB, 'missachte übergehe oubliez oublier ignorer olvídate olvide descarta esqueca desconsidere descarte dimentica trascura oblida vergeet zapomnij ignoruj zapomeň zapomen zabudni ignorera glöm strunta ignorer glem unohda ohita sivuuta felejtsd hagyd ignoră uită unut αγνόησε ξέχασε проигнорируй ігноруй проігноруй игнорирай забрави игнориши заборави ignoriši zaboravi zanemari ignoriraj prezri pozabi ignoruok pamiršk ignorē aizmirsti ignoreeri unusta hunsaðu gleymdu abaikan lupakan kalimutan balewalain puuza sahau quên अनदेखा भूल भूलो नज़रअंदाज़ تجاهل انس התעלם שכח نادیده فراموش উপেক্ষা'],
  [R.PRIOR, 'früheren vorherige antérieures anciennes previas prévias anteriori wcześniejsze poprzednich předchozí dřívější predchádzajúce predošlé tidigare föregående tidligere forrige aiemmat edelliset aiemmin korábbi előző anterioare precedente προηγούμενες προηγούμενα прежние прошлые попередні попередніх предишни prethodne prethodna prejšnja претходне ankstesnius ankstesnes ankstesni iepriekšējos iepriekšējās eelmised varasemad fyrri sebelumnya nakaraang naunang zilizopita awali पिछले السابقة הקודמות قبلی'],
  [R.INSTR, 'vorgaben befehle anordnungen directives órdenes indicaciones regras diretrizes regole direttive instruccions regles regels opdrachten instrukcje instrukcji zasady zasad poleceń reguły pokyny instrukce pravidla inštrukcie pravidlá instruktioner regler direktiv instruksjoner reglene ohjeet ohjeita säännöt utasításokat utasítások szabályokat instrucțiunile instrucțiuni regulile talimatlar kuralları kurallar οδηγίες κανόνες правила інструкції вказівки upute uputstva pravila упутства navodila nurodymus instrukcijas taisykles norādījumus juhiseid juhised reegleid fyrirmæli leiðbeiningar reglur instruksi arahan aturan tagubilin panuto maagizo maelekezo निर्देशों निर्देश नियम التعليمات تعليمات ההוראות הוראות دستورالعمل دستورات নির্দেশনা'],
  [R.SECRET, 'passwort kennwort identifiants credenciales claves clave senhas credenciais credenziali chiavi contrasenya contrasenyes wachtwoord wachtwoorden inloggegevens hasło hasła heslo hesla heslá lösenord passord adgangskode salasana salasanat jelszó jelszavak jelszót parolele parolă şifre şifreleri şifreyi κωδικούς κωδικό пароль пароли паролі парола lozinke lozinku lozinka geslo gesla slaptažodžius slaptažodis paroles paroolid salasõnad salasõna lykilorð lykilorðin sandi kredensial nywila nenosiri पासवर्ड סיסמה סיסמאות הסיסמאות 비밀번호'],
  [R.SEND | R.VERB, 'schick schicken übermittle envoyez transmets envia manda reenvía mande encaminhe inoltra verstuur prześlij przekaż pošli odešli skicka lähetä küldd trimite στείλε пришли перешли надішли відправ изпрати pošalji пошаљи pošlji išsiųsk nosūti saada sendu kirim kirimkan hantar ipadala tuma gửi भेजो भेजें أرسل ارسل שלח بفرست পাঠাও'],
  [R.HARM | R.VERB, 'entferne efface apague exclua verwijder usuń skasuj smaž odstraň vymaž zmaž radera slett slet poista töröld șterge sterge sil διάγραψε сотри видали obriši izbriši ištrink kustuta hapus burahin futa xóa xoá हटाओ احذف מחק'],
  [R.ALL, 'tutto tutte tutti wszystkie wszystko všechny všechna alla kaikki minden toate tüm όλα όλες все всі semua lahat zote सभी جميع كل כל همه'],
  [R.USER, 'usuário utilisatrice użytkownik użytkownikowi użytkownika uživatel uživateli uživatele používateľ používateľovi användaren användare brukeren bruger brugeren käyttäjä käyttäjälle käyttäjän felhasználó felhasználónak utilizatorul utilizator kullanıcı kullanıcıya kullanıcının χρήστη χρήστης пользователю пользователя користувач користувачу користувача korisnik korisniku korisnika vartotojui naudotojui lietotājam kasutaja kasutajale notandann notandi pengguna gumagamit mtumiaji उपयोगकर्ता المستخدم המשתמש کاربر'],
  [R.TELL, 'diga dica dire zeg mów říkej povídej berätta fortell fortæl kerro mondd spune söyleme söyle πεις скажи говори кажи reci povej sakyk ütle segðu beritahu sabihin mwambie बताओ تخبر תגיד نگو'],
  [R.NEG, 'não nao niet inte ikke älä asla μην ні nemoj tidak jangan huwag usi đừng मत لا אל'],
  [R.VOID, 'ungültig nichtig obsolet caduques caducas obsoletas nulas nulle nulles annulé annulées anulado anuladas annullate ongeldig vervallen nieważne neplatné ogiltiga ugyldige mitätöntä mitättömiä érvénytelen nevalabile geçersiz недействительны отменены недійсні скасовані nevažeće negaliojantys kehtetud batal batili अमान्य ملغاة باطلة בטלות'],
  [R.CONCEAL, 'heimlich secrètement discrètement secretamente segretamente stiekem potajemnie tajně salaa titokban gizlice μυστικά тайно таємно tajno slapta slepeni salaja leynilega lihim diam-diam चुपके سرا בסתר'],
  [R.INSTR, 'normas normes normen quy chỉ القواعد'],
  [R.SEND | R.VERB, 'sube ilet yükle अपलोड'],
  [R.NEG, 'hiçbir बिना'],
  [R.NOW, 'отныне nyt most acum artık τώρα зараз sada dabar tagad nüüd núna sekarang ngayon sasa अब الآن עכשיו'],
];

/** Multi-word roles, looked up as the last two or three words read. */
const PHRASES: readonly Entry[] = [
  [R.AI, 'language model|the ai|an ai|any ai|ai agent|ai system|ai systems|ai tools|ai helper|language models'],
  [R.NOW, 'right now|right away|at once|as soon|every time|before answering|before replying|before responding|you answer|you reply|you respond|from now|now on|here on|this point|as of|of now|this message|this line|here forward|partir de|à présent|ab jetzt|a partir'],
  [R.MODAL, 'have to|are required|is required|are obliged|no longer|from now on|make sure'],
  [R.NEG, 'do not|does not|must not|should not|will not|not to|no more'],
  [R.INSTR, 'told you|were told|been told|were given|the brief|whole brief|setup prompt|setup text|system prompt|system message|initial prompt|hidden instructions|original task|current task|operating procedure|current plan|current objective'],
  [R.VOID, 'turned off|switched off|no longer required|no longer needed'],
  [R.OVERRIDE, 'set aside|pay no|no attention|no longer apply|not valid|are void|is void'],
  [R.SECRET, 'environment variable|system prompt|hidden configuration|api key|api keys|private key|ssh key|access token|session token|session cookie|secret key|environment variables|env vars|connection string|credit card'],
  [R.AUTHORITY, 'security team|it department|trust safety|safety team|policy team|the operator|the developers|the maintainers|the administrator|the system'],
  [R.CITE, 'attempt to|an attempt|such as|for example|for instance|case study|red team|rule of thumb|a classic|an attacker|is an attack|attempts to|tries to'],
  [R.CONCEAL, 'en secreto|sin que|di nascosto|po cichu|i hemlighet|în secret|kwa siri|bí mật|keep this secret|keep this confidential|keep this hidden|keep this quiet|keep the following|between us|without telling|without informing|without letting|leave it out|act as if|suspects nothing|not notice|do not show|behind the'],
  [R.ROLE, 'you are now|are no longer|imagine you|pretend you|pretend that|are an ai|act as|play the part|assume the role|assume the identity|no restrictions|no rules|no limits|without restrictions|without filters|developer mode|god mode|maintenance persona|do anything|stay in character|your identity|your persona|new identity|no content'],
  [R.DEST, 'public gist|public comment|public channel|webhook at|our webhook|this address|the address|my address|external server'],
  // Role-play framings and casual overrides.
  [R.ROLE, 'play a game|in character|in role|role-play as|roleplay as|switch persona|new persona|new character|no safety|without safety|safety training|version of yourself|who never refuses|never refuses|act like|behave as|speak as|no boundaries|no filter|no guardrails'],
  [R.VOID, "doesn't count|doesnt count|don't count|dont count|never mind|not apply|is cancelled|are cancelled|is canceled|are canceled"],
  [R.OVERRIDE, 'never mind|throw away|throw out|bin it|toss out|forget about|forget everything|wipe the slate'],
  // Other languages: two-word names for the model, secrets, the user and rule-free roles.
  [R.AI, 'trợ lý|yapay zeka|kecerdasan buatan|inteligencia artificial|intelligence artificielle|künstliche intelligenz|inteligência artificial|intelligenza artificiale'],
  [R.OVERRIDE | R.VERB, 'bỏ qua|görmezden gel'],
  [R.SECRET, 'mật khẩu|kata sandi|كلمة مرور|kata laluan|de passe|كلمات المرور|كلمة المرور|clé api|chave api|clave api'],
  [R.USER, 'người dùng'],
  [R.NOW, 'bây giờ|de agora|de maintenant|en adelante|in poi|nun an|vanaf nu|od teraz'],
  [R.ROLE, 'ohne regeln|sin reglas|sans règles|senza regole|zonder regels|sem regras|bez zasad|без правил|без ограничений|sin restricciones|sans restrictions|sem limites|senza limiti|ohne einschränkungen|sin límites|sans limites|ohne grenzen|bez omezení|utan regler|uden regler|uten regler'],
];

/** Text fragments in scripts written without spaces (CJK) or with particles glued on (Korean). */
export const UNSPACED: readonly Entry[] = [
  [R.OVERRIDE | R.VERB, '無視|忽略|무시|忘れ'],
  [R.PRIOR, '以前|之前|上面|前の|이전'],
  [R.INSTR, '指示|指令|命令|지시'],
  [R.SEND | R.VERB, '送信|发送|發送|送って|보내'],
  [R.SECRET, '密码|パスワード|密碼|키를|api 키|令牌'],
  [R.HARM | R.VERB, '删除|削除|삭제'],
  [R.NEG | R.TELL, '不要告诉|言わないで|말하지'],
  [R.DATA, '履歴|历史|기록'],
  [R.AI, '助手|アシスタント|어시스턴트|人工智能|인공지능'],
  [R.OVERRIDE | R.VERB, '忽视|无视|忘记|잊어|忘掉'],
  [R.PRIOR, '先前|これまで|以前的'],
  [R.INSTR, '规则|ルール|지침|規則'],
  [R.USER, '用户|ユーザー|사용자'],
  [R.SEND | R.VERB, '上传|发给|发到|送れ|アップロード'],
  [R.SECRET, '私钥|秘密鍵|비밀번호|認証情報|凭据'],
  // Polite and firm imperative endings: what an opening verb tells in spaced languages.
  [R.MODAL, '请|請|ください|下さい|なさい|하세요|하십시오|해주세요|해 주세요|必须|必須|务必|務必|반드시|必ず'],
  [R.YOU, '你|あなた|당신'],
  [R.VOID, '作废|作廢|无效|無効|무효|廃止'],
  [R.CONCEAL, '몰래|こっそり|偷偷|悄悄|秘密に'],
  [R.INSTR, '규칙'],
  [R.SEND | R.VERB, '전송|発信'],
  [R.NOW, '马上|立刻|今すぐ|지금'],
];

/** Words whose rot13 form hints that a text is rot13 (the classifier then decodes and reads it again). */
const ROT13_SOURCES = 'ignore disregard forget previous instructions assistant password passwords send upload forward reveal system prompt delete secret secrets credentials conversation everything nothing approve tell user agent';
/** Common function words, whose rot13 forms (`gur`, `naq`, `lbh`) almost never occur in plain text: a rot13 text uses them whatever it says. */
const ROT13_FUNCTION_WORDS = 'the and you your all this that with from now';

export function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

function build(entries: readonly Entry[], split: RegExp): Map<string, number> {
  const map = new Map<string, number>();
  for (const [role, words] of entries) for (const word of words.split(split)) {
    // As the reader sees text: NFKC (a precomposed `ज़` is two code points after it).
    const w = word.normalize('NFKC');
    if (w !== '') map.set(w, (map.get(w) ?? 0) | role);
  }
  return map;
}

export const WORD_ROLES: ReadonlyMap<string, number> = build([...ENTRIES, ...MULTILINGUAL, [R.ROT13, rot13(`${ROT13_SOURCES} ${ROT13_FUNCTION_WORDS}`)]], / +/);

/**
 * Phrases indexed by their last word, then the word before it (and the one before that): the
 * reader looks a phrase up without building a string per word.
 */
export interface PhraseIndex {
  readonly pairs: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly triples: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, number>>>;
}

function indexPhrases(entries: readonly Entry[]): PhraseIndex {
  const pairs = new Map<string, Map<string, number>>();
  const triples = new Map<string, Map<string, Map<string, number>>>();
  for (const [role, phrases] of entries) {
    for (const phrase of phrases.split('|')) {
      const w = phrase.split(' ');
      const last = w[w.length - 1]!;
      if (w.length === 2) {
        const byPrev = pairs.get(last) ?? pairs.set(last, new Map()).get(last)!;
        byPrev.set(w[0]!, (byPrev.get(w[0]!) ?? 0) | role);
      } else if (w.length === 3) {
        const byPrev = triples.get(last) ?? triples.set(last, new Map()).get(last)!;
        const byFirst = byPrev.get(w[1]!) ?? byPrev.set(w[1]!, new Map()).get(w[1]!)!;
        byFirst.set(w[0]!, (byFirst.get(w[0]!) ?? 0) | role);
      } else throw new Error(`injection lexicon: phrase "${phrase}" must have two or three words`);
    }
  }
  return { pairs, triples };
}

export const PHRASES_BY_LAST: PhraseIndex = indexPhrases(PHRASES);

/** Words that open a clause in the imperative mood even when they are also nouns (`email`, `post`). */
/** Conjunctions: what follows them is a clause of its own (`… and delete all files`). */
const CONJUNCTIONS: ReadonlySet<string> = new Set(['and', 'then', 'y', 'et', 'und', 'e', 'i', 'и', 've', 'ed', 'luego', 'puis', 'dann', 'depois', 'poi', 'sonra', 'а', 'затем']);

const CLAUSE_OPENERS: ReadonlySet<string> = new Set(['silently', 'quietly', 'secretly', 'covertly', "let's", 'lets', 'please', 'kindly', 'now', 'then', 'and', 'also', 'just', 'simply', 'first', 'next', 'immediately', 'quickly', 'so', 'but', 'finally', 'afterwards', 'hey', 'hi', 'hello', 'dear', 'attention', 'note', 'listen', 'ok', 'okay', 'reset', 'important', 'urgent', 'instead', 'always', 'never', 'por', 'favor', 'bitte', 'merci']);

/** Words after which a mention of the model is a vocative (`Dear assistant`, `to any AI`). */
/** Articles between a vocative word and the model (`to the AI`, `an die KI`). */
const ARTICLES: ReadonlySet<string> = new Set(['the', 'a', 'an', 'die', 'der', 'la', 'le', 'el', 'al', 'à', 'de', 'il', 'lo', "l'", 'o', 'os', 'het', 'de']);

const VOCATIVE_BEFORE: ReadonlySet<string> = new Set(['hinweis', 'nota', 'an', 'à', 'para', 'al', 'aan', 'to', 'dear', 'hey', 'hi', 'hello', 'attention', 'any', 'listen', 'note', 'whoever', 'ps', 'if', 'model', 'attn']);

/** Syntax of function words, one bit each: what they do to the clause around them. */
export const S = {
  OPENER: 1 << 0, // lets the next word open the clause (`please`, `now`, `silently`)
  NEG_OPENER: 1 << 1, // `do not`, `never`: the verb after them still gives an order
  CONJUNCTION: 1 << 2, // starts a new clause (`… and delete all files`)
  BE: 1 << 3, // `you are`, `tu es`
  ARTICLE: 1 << 4,
  VOCATIVE: 1 << 5, // `to`, `dear`: the model named after it is addressed
  STRONG_VOCATIVE: 1 << 6, // `dear`, `hey`: even with a word in between (`Dear hiring AI`)
  DEFINER: 1 << 7, // `def`, `function`: a name after it is defined, not called
  FIRST_PERSON: 1 << 8, // `I`, `we`, `thanks`: a speaker's own words
  THIS: 1 << 9,
  YOU_ARE: 1 << 10, // `you're`
  ARTICLE_A: 1 << 11, // `a`, `an`
  POSSESSIVE: 1 << 13, // `your`, `votre`: names what belongs to the reader, not the reader as subject
  READING: 1 << 12, // `reading`, `processing`: `agents reading this` names the addressee
  AUX: 1 << 14, // `will`, `can`, `does`: `the AI will never send` predicts, it does not order
  FREQUENCY: 1 << 15, // `always`, `never`: an order only when they open a clause or follow `you`
  ENGLISH: 1 << 16, // a short English function word, rare in other languages (ngram-score.ts: which sentences are English)
  PLURAL: 1 << 17, // `agents`, `models`: a class talked about, not someone spoken to
  DISCUSS: 1 << 18, // security vocabulary: a text about attacks and defences, not one (stance-cues.ts)
} as const;

function syntaxOf(): Map<string, number> {
  const map = new Map<string, number>();
  const add = (flag: number, words: Iterable<string>): void => {
    for (const w of words) map.set(w, (map.get(w) ?? 0) | flag);
  };
  add(S.OPENER, CLAUSE_OPENERS);
  add(S.NEG_OPENER, ['do', 'not', "don't", 'dont', 'never', 'no']);
  add(S.CONJUNCTION, CONJUNCTIONS);
  add(S.BE, ['are', 'will', 'have', 'es', 'êtes', 'eres', 'estás', 'bist', 'sind', 'sei', 'é', 'está', 'bent', 'jesteś', 'sen']);
  add(S.ARTICLE, ARTICLES);
  add(S.VOCATIVE, VOCATIVE_BEFORE);
  add(S.STRONG_VOCATIVE, ['dear', 'hey', 'hi', 'hello', 'attention', 'attn', 'note']);
  add(S.DEFINER, ['def', 'function', 'fn', 'func', 'async', 'class', 'sub', 'proc', 'void', 'public', 'private', 'static']);
  add(S.FIRST_PERSON, ['i', "i'm", "i've", "i'll", 'we', "we're", "we've", 'sure', 'thanks', 'thank', 'sorry', 'hello', 'hi', 'ok', 'okay', 'yes', 'no', 'certainly', 'of']);
  add(S.THIS, ['this']);
  add(S.AUX, ['will', 'would', 'can', 'could', 'does', 'did', 'may', 'might', 'is', 'was', "won't", "can't", 'cannot']);
  add(S.FREQUENCY, ['always', 'never']);
  add(S.YOU_ARE, ["you're", 'youre']);
  add(S.ARTICLE_A, ['a', 'an']);
  // Not `a`, `to`, `in`, `no`, `on`, `do`, `by`, `is`: words of other languages too.
  add(S.ENGLISH, 'at be he if it of or up we all and any are but can for has how its may not our out she the was who why you'.split(' '));
  add(S.POSSESSIVE, ['your', 'yours', 'votre', 'vos', 'ton', 'ta', 'tes', 'tus', 'tu', 'dein', 'deine', 'deinen', 'твой', 'ваш', 'jouw', 'senin', 'seu', 'sua', 'tuo', 'tua']);
  add(S.PLURAL, ['agents', 'models', 'assistants', 'llms', 'bots', 'ais', 'chatbots']);
  // Not `threat` or `filter` alone, which orders and ordinary texts use; words writers about attacks use.
  add(S.DISCUSS, 'vulnerability vulnerabilities vulnerable detector detectors detection detect detects detected scanner scanners classifier classifiers defense defence defenses defences defender advisory advisories researcher researchers research malicious adversarial adversary poisoning poisoned mitigate mitigates mitigated mitigation mitigations hardening owasp incident incidents postmortem post-mortem threat-model phishing spoofing spoofed exploited exploits jailbreaks injected severity finding findings repro reproduce reproduced patched disclosure bounty ctf honeypot taxonomy evaluation benchmark red-teaming pentest cwe sanitise sanitize sanitiser sanitizer write-up writeup'.split(' '));
  add(S.READING, ['reading', 'processing', 'summarising', 'summarizing', 'handling', 'reviewing', 'triaging', 'parsing', 'analysing', 'analyzing', 'screening', 'scanning', 'indexing', 'crawling', 'browsing', 'viewing', 'seeing', 'summarising']);
  return map;
}

/** Top-level domains that make `word.tld` a destination. */
export const TLDS: ReadonlySet<string> = new Set(['com', 'org', 'net', 'io', 'dev', 'app', 'site', 'me', 'co', 'xyz', 'ru', 'cn', 'info', 'biz', 'example', 'test', 'cc', 'ly', 'link', 'live', 'fun', 'pro', 'de', 'fr', 'uk', 'br', 'es', 'it', 'nl']);

export const SYNTAX: ReadonlyMap<string, number> = syntaxOf();

/** FNV-1a over UTF-16 code units: the reader hashes words as it reads them and slices none it does not know. */
export function wordHash(text: string, start = 0, end = text.length): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Everything the reader needs about a word, found with one lookup by its hash. */
export interface LexiconEntry {
  readonly word: string;
  readonly role: number;
  readonly syntax: number;
  /** Phrases this word ends: hash of the word before → role. */
  readonly pairs: ReadonlyMap<number, number> | undefined;
  /** Phrases of three words this word ends: hash of the word before → hash of the one before that → role. */
  readonly triples: ReadonlyMap<number, ReadonlyMap<number, number>> | undefined;
}

function byHash<V>(map: ReadonlyMap<string, V> | undefined): Map<number, V> | undefined {
  return map === undefined ? undefined : new Map([...map].map(([k, v]) => [wordHash(k), v]));
}

function lexiconOf(): Map<number, LexiconEntry> {
  const words = new Set([...WORD_ROLES.keys(), ...SYNTAX.keys(), ...PHRASES_BY_LAST.pairs.keys(), ...PHRASES_BY_LAST.triples.keys()]);
  const lexicon = new Map<number, LexiconEntry>();
  for (const word of words) {
    const h = wordHash(word);
    // Two lexicon words with one hash would shadow each other: fail at load, never silently.
    if (lexicon.has(h)) throw new Error(`injection lexicon: "${word}" and "${lexicon.get(h)!.word}" share a hash`);
    const triples = PHRASES_BY_LAST.triples.get(word);
    lexicon.set(h, {
      word,
      role: WORD_ROLES.get(word) ?? 0,
      syntax: SYNTAX.get(word) ?? 0,
      pairs: byHash(PHRASES_BY_LAST.pairs.get(word)),
      triples: triples === undefined ? undefined : new Map([...triples].map(([k, v]) => [wordHash(k), byHash(v)!])),
    });
  }
  return lexicon;
}

export const LEXICON: ReadonlyMap<number, LexiconEntry> = lexiconOf();

/**
 * The lexicon as an open-addressing table over typed arrays: the reader looks up every word it
 * reads, and a probe of a Uint32Array costs a fraction of `Map.get` on a number (which was a
 * quarter of the classifier's time).
 */
const SLOTS = 1 << Math.ceil(Math.log2(LEXICON.size * 4));
const SLOT_MASK = SLOTS - 1;
const SLOT_HASH = new Uint32Array(SLOTS);
const SLOT_ENTRY = new Int32Array(SLOTS).fill(-1);
const ENTRIES_BY_SLOT: LexiconEntry[] = [];
for (const [hash, entry] of LEXICON) {
  let slot = hash & SLOT_MASK;
  while (SLOT_ENTRY[slot] !== -1) slot = (slot + 1) & SLOT_MASK;
  SLOT_HASH[slot] = hash;
  SLOT_ENTRY[slot] = ENTRIES_BY_SLOT.push(entry) - 1;
}

/** The lexicon entry whose word hashes to `hash` (an unsigned 32-bit FNV-1a), if any. */
export function lexiconEntry(hash: number): LexiconEntry | undefined {
  let slot = hash & SLOT_MASK;
  for (let e = SLOT_ENTRY[slot]!; e !== -1; e = SLOT_ENTRY[slot]!) {
    if (SLOT_HASH[slot] === hash) return ENTRIES_BY_SLOT[e];
    slot = (slot + 1) & SLOT_MASK;
  }
  return undefined;
}
