import { looksGenerated } from '../generated-value.js';

/**
 * The only list of secret patterns in rea. The redactor, the hooks and the tests import it from here
 * (STYLE.md §7.5). rea 0.4's twelve (AWS access and secret keys, GitHub tokens, generic API keys,
 * bearer tokens, PEM private keys, Discord tokens, base64 AWS keys, Anthropic, OpenAI project and
 * legacy keys, Hugging Face) plus the formats issue 5 lists.
 *
 * Rules every pattern follows, so none can stall a call (THREAT_MODEL.md, ReDoS):
 * - global flag; no nested quantifiers (safe-regex checks it in a unit test);
 * - every quantifier bounded, so the work from one start position is bounded;
 * - patterns that begin with a character class start behind a lookbehind boundary, so only the
 *   first character of a run can start a match and a long run costs one pass, not one per offset;
 * - `keywords` (lowercase) are a prefilter: the regex runs only when one occurs in the lowercased text;
 * - a named group `secret` (with the `d` flag) narrows what is replaced, so `password=` stays readable.
 * Matches are at most MAX_SECRET_MATCH characters long (the redactor's chunk overlap depends on it).
 */
export interface SecretPattern {
  readonly name: string;
  readonly regex: RegExp;
  readonly keywords?: readonly string[];
  /**
   * Every match starts inside a run of 20+ `A-Za-z0-9_-` characters or at most TOKEN_REACH (32)
   * characters before one, with one of its keywords there: skipped, keywords and all, when the text
   * has no such run (`tokenRuns`, base64-runs.ts), and its keywords looked for only near runs
   * (pattern-scan.ts). Prose and paths hold no such run. Held to by `secret-providers.test.ts`.
   */
  readonly longRun?: true;
  /** A test of the matched value (the `secret` group), for patterns whose shape alone says too little. */
  readonly accept?: (value: string) => boolean;
  /** Reported only where no earlier pattern matched: a catch-all, so a known token keeps its own name. */
  readonly fallback?: true;
}

export const MAX_SECRET_MATCH = 12_200;

/** Values that are references or placeholders, not secrets: `password: string`, `${DB_PASSWORD}`. */
const NOT_A_VALUE = String.raw`(?!(?:string|number|boolean|null|undefined|none|true|false|required|optional|redacted|changeme|\[|\$\{|\$\(|<|%\(|\{\{|\*{3}|x{4}))`;
/**
 * Unquoted assignment values must carry a digit or a symbol: identifiers like `getPassword` are code.
 * The value is taken whole (lookahead + backreference: an atomic group), so a run too long to be a
 * value fails at once instead of backtracking through every shorter length.
 */
const HAS_DIGIT_OR_SYMBOL = String.raw`(?=[A-Za-z_.]{0,255}[0-9!@#%^*+/=~-])`;
/** An unquoted value ends at whitespace, a quote or a delimiter (URL query `&`, JSON escapes, brackets). */
const VALUE_CHAR = String.raw`[^\s"'\x60,;(){}\[\]<>&?|\\]`;
const SECRET_KEYS =
  'password|passwd|pwd|passphrase|secret|client_secret|secret_key|api_secret|app_secret|auth_token|access_token|refresh_token|api_token|private_key|_pass|-pass|encryption_?key|signing_?key|master_?key|hmac_?key|psk';

/**
 * Left edge of a token with a distinctive prefix, checked in a lookbehind placed after the prefix
 * (`ghp_(?<=EDGE ghp_)…`) so the engine still finds the literal prefix fast: not inside a longer alphanumeric run, but allowed
 * right after `_` (`GH_TOKEN_ghp_…`) or a percent-escape (`token%3Dghp_…`, `Bearer%20ghp_…`), where a
 * token sits verbatim in an identifier or a URL-encoded string (security review 2026-12, finding 8).
 */
const EDGE = String.raw`(?<=^|[^A-Za-z0-9]|%[0-9A-Fa-f]{2})`;
/** The same for tokens whose alphabet holds `-` or `_`: a dash before them means they are inside a longer token. */
const EDGE_DASH = String.raw`(?<=^|[^A-Za-z0-9-]|%[0-9A-Fa-f]{2})`;

function re(source: string, flags = 'g'): RegExp {
  return new RegExp(source, flags);
}

/** A flag's value: quoted, or bare and not itself a flag (`-N ''`, `-a $VAR` and `-p -x` stay). */
const FLAG_VALUE = String.raw`(?:'(?<secret>[^'\s]{1,256})'|"(?<secret2>[^"\s]{1,256})"|${NOT_A_VALUE}(?<secret3>[^\s'"$-]\S{0,255}))`;

/**
 * A password given to a known command by a flag (`redis-cli -a value`, `zip -P value`): found by
 * the flag, then checked to follow the command on the same line, so `-a`/`-P` elsewhere stay.
 */
function commandFlag(command: string, flag: string, gap = String.raw`\s{1,4}`, keyword = command): SecretPattern {
  return {
    name: 'cli_credentials',
    regex: re(String.raw`${flag}(?<=(?:^|[\s;&|(])${command}(?:\s|\s[^\n|;&]{0,200}\s)${flag})${gap}${FLAG_VALUE}`, 'gd'),
    keywords: [keyword.toLowerCase()],
  };
}

/**
 * A token known by its literal prefix: the prefix (found fast), then the edge behind it, then the
 * body, which must not run on into a longer token. The keywords are the prefixes, lowercased.
 */
interface PrefixedOptions {
  readonly edge?: string;
  /** Shorter stems than the prefixes, where several share one. */
  readonly keywords?: readonly string[];
  /** False when the body may be broken up by characters outside the base64 alphabet (`.`, `=`). */
  readonly longRun?: boolean;
}

function prefixed(name: string, prefixes: readonly string[], body: string, options: PrefixedOptions = {}): SecretPattern {
  const alternatives = `(?:${prefixes.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
  const keywords = options.keywords ?? prefixes.map((p) => p.toLowerCase());
  const regex = re(`${alternatives}(?<=${options.edge ?? EDGE_DASH}${alternatives})${body}(?![A-Za-z0-9_-])`);
  return options.longRun === false ? { name, regex, keywords } : { name, regex, keywords, longRun: true };
}

/** Bare UUIDs and hex keys that are only secrets next to their provider's name (`SNYK_TOKEN=<uuid>`). */
// LaunchDarkly's `api-<uuid>` and Lob's `live_<hex>` look like request ids and test names: only next to the name.
const KEYED_PROVIDERS = 'lob|snyk|heroku|ld_sdk|ld_api|azure_devops|ado_pat|cloudflare|okta|cohere|sendbird|twitch|launchdarkly|datadog|dd_api|dd_app|pagerduty|rollbar|bugsnag|honeycomb|segment|mixpanel|algolia|contentful|zendesk|intercom|asana|clickup|figma|fastly|mapbox|travis|codecov|circleci|nexmo|vonage|plivo|messagebird|pusher|cloudinary|coinbase|binance|kraken|kucoin|etherscan|infura|alchemy|freshdesk|hubspot|salesforce|zoho|mailjet|sparkpost|newrelic|sumologic|bitly|yandex|dropbox|confluent|gitter|jira|atlassian|trello|airtable|notion|openweather';

export const SECRET_PATTERNS: readonly SecretPattern[] = Object.freeze([
  { name: 'aws_access_key', regex: re(String.raw`(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])(?<=${EDGE}(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9]))[A-Z0-9]{16}(?![A-Z0-9])`), keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'], longRun: true },
  {
    name: 'aws_secret_key',
    regex: re(String.raw`(?:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key)[\\"']{0,2}\s{0,4}[:=]\s{0,4}[\\"']{0,2}(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])`, 'gid'),
    keywords: ['secret'],
  },
  { name: 'github_token', regex: re(String.raw`gh[por]_(?<=${EDGE}gh[por]_)[A-Za-z0-9]{36,255}(?![A-Za-z0-9_])`), keywords: ['ghp_', 'gho_', 'ghr_'], longRun: true },
  { name: 'github_app_token', regex: re(String.raw`gh[su]_(?<=${EDGE}gh[su]_)[A-Za-z0-9]{36,255}(?![A-Za-z0-9_])`), keywords: ['ghs_', 'ghu_'], longRun: true },
  { name: 'github_fine_grained_token', regex: re(String.raw`github_pat_(?<=${EDGE}github_pat_)[A-Za-z0-9_]{60,255}`), keywords: ['github_pat_'], longRun: true },
  {
    name: 'gitlab_token',
    regex: re(String.raw`(?:glpat|gldt|glrt|glptt|glcbt|glft|glsoat|gloas|glimt|glagent)-(?<=${EDGE_DASH}(?:glpat|gldt|glrt|glptt|glcbt|glft|glsoat|gloas|glimt|glagent)-)[A-Za-z0-9_-]{20,64}(?![\w-])`),
    keywords: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glcbt-', 'glft-', 'glsoat-', 'gloas-', 'glimt-', 'glagent-'],
    longRun: true,
  },
  { name: 'slack_token', regex: re(String.raw`(?:xox[abposre]|xapp)-(?<=${EDGE_DASH}(?:xox[abposre]|xapp)-)[A-Za-z0-9-]{10,255}`), keywords: ['xox', 'xapp-'] },
  { name: 'slack_webhook', regex: re(String.raw`hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{20,200}`), keywords: ['hooks.slack.com'] },
  { name: 'stripe_key', regex: re(String.raw`(?:sk|rk)_(?:live|test)_(?<=${EDGE_DASH}(?:sk|rk)_(?:live|test)_)[A-Za-z0-9]{20,247}`), keywords: ['_live_', '_test_'], longRun: true },
  { name: 'stripe_webhook_secret', regex: re(String.raw`whsec_(?<=${EDGE_DASH}whsec_)[A-Za-z0-9+/=]{24,128}`), keywords: ['whsec_'] },
  { name: 'google_api_key', regex: re(String.raw`AIza(?<=${EDGE_DASH}AIza)[0-9A-Za-z_-]{35}(?![\w-])`), keywords: ['aiza'], longRun: true },
  { name: 'google_oauth_secret', regex: re(String.raw`GOCSPX-(?<=${EDGE_DASH}GOCSPX-)[A-Za-z0-9_-]{28}`), keywords: ['gocspx-'], longRun: true },
  { name: 'google_oauth_token', regex: re(String.raw`ya29\.(?<=${EDGE_DASH}ya29\.)[A-Za-z0-9_-]{20,2048}`), keywords: ['ya29.'], longRun: true },
  {
    name: 'gcp_service_account_key_id',
    regex: re(String.raw`"private_key_id\\?"\s{0,4}:\s{0,4}\\?"(?<secret>[a-f0-9]{40})(?![a-f0-9])`, 'gd'),
    keywords: ['private_key_id'],
  },
  { name: 'npm_token', regex: re(String.raw`npm_(?<=${EDGE_DASH}npm_)[A-Za-z0-9]{36}(?![A-Za-z0-9])`), keywords: ['npm_'], longRun: true },
  { name: 'npmrc_auth', regex: re(String.raw`_auth(?:Token)?\s{0,4}=\s{0,4}(?<secret>[^\s"']{8,512})`, 'gid'), keywords: ['_auth'] },
  { name: 'pypi_token', regex: re(String.raw`pypi-AgE(?<=${EDGE_DASH}pypi-AgE)[A-Za-z0-9_-]{50,4096}`), keywords: ['pypi-age'], longRun: true },
  {
    name: 'azure_storage_key',
    regex: re(String.raw`(?:AccountKey|SharedAccessKey|PrimaryKey|SecondaryKey)\s{0,4}=\s{0,4}(?<secret>[A-Za-z0-9+/]{30,100}={0,2})`, 'gid'),
    keywords: ['accountkey', 'sharedaccesskey', 'primarykey', 'secondarykey'],
  },
  { name: 'azure_sas_signature', regex: re(String.raw`[?&]sig=(?<secret>[A-Za-z0-9%+/=]{40,128})`, 'gd'), keywords: ['sig='] },
  { name: 'azure_client_secret', regex: re(String.raw`(?<![\w~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![\w~.-])`), keywords: ['q~'] },
  { name: 'jwt', regex: re(String.raw`(?<![\w-])eyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{0,4096}`), keywords: ['eyj'] },
  // Header, body up to the next five dashes (a PEM body never holds them) and footer. Covers PKCS#1/#8,
  // EC, DSA, OpenSSH, encrypted and PGP blocks. The second pattern catches a truncated key (no footer).
  {
    name: 'private_key',
    regex: re(String.raw`-----BEGIN[A-Z0-9 ]{0,30}PRIVATE KEY(?: BLOCK)?-----(?:[^-]|-(?!----)){0,12000}-----END[A-Z0-9 ]{0,30}PRIVATE KEY(?: BLOCK)?-----`),
    keywords: ['private key'],
  },
  { name: 'private_key', regex: re(String.raw`-----BEGIN[A-Z0-9 ]{0,30}PRIVATE KEY(?: BLOCK)?-----(?:[^-]|-(?!----)){0,12000}`), keywords: ['private key'] },
  { name: 'anthropic_api_key', regex: re(String.raw`sk-ant-(?<=${EDGE_DASH}sk-ant-)[A-Za-z0-9_-]{32,255}`), keywords: ['sk-ant-'], longRun: true },
  { name: 'openai_project_key', regex: re(String.raw`sk-(?:proj|svcacct|admin)-(?<=${EDGE_DASH}sk-(?:proj|svcacct|admin)-)[A-Za-z0-9_-]{32,255}`), keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-'], longRun: true },
  { name: 'openai_api_key', regex: re(String.raw`sk-(?<=${EDGE_DASH}sk-)[A-Za-z0-9]{32,255}(?![\w-])`), keywords: ['sk-'], longRun: true },
  { name: 'huggingface_token', regex: re(String.raw`hf_(?<=${EDGE_DASH}hf_)[A-Za-z0-9]{32,64}(?![A-Za-z0-9])|api_org_(?<=${EDGE_DASH}api_org_)[A-Za-z0-9]{34}(?![A-Za-z0-9])`), keywords: ['hf_', 'api_org_'], longRun: true },
  { name: 'discord_token', regex: re(String.raw`(?<![\w-])[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![\w-])`), longRun: true },
  { name: 'base64_aws_key', regex: re(String.raw`QUtJQ[A-Za-z0-9+/]{17,64}={0,2}`), keywords: ['qutjq'] },
  {
    name: 'bearer_token',
    regex: re(String.raw`(?<![\w-])bearer\s{1,4}(?<secret>[A-Za-z0-9_~+/.-]{16,4096}={0,2})`, 'gid'),
    keywords: ['bearer'],
  },
  {
    name: 'basic_auth',
    regex: re(String.raw`authorization[\\"']{0,2}\s{0,4}[:=]\s{0,4}[\\"']{0,2}basic\s{1,4}(?<secret>[A-Za-z0-9+/]{8,1024}={0,2})`, 'gid'),
    keywords: ['basic'],
  },
  {
    name: 'generic_api_key',
    regex: re(String.raw`(?:api[_-]?key|x-api-key|api[_-]?token)[\\"']{0,2}\s{0,4}[:=]\s{0,4}[\\"']{0,2}(?=[A-Za-z0-9_.-]{0,255}[0-9])(?<secret>[A-Za-z0-9_.-]{16,256})`, 'gid'),
    keywords: ['api'],
  },
  {
    // `user:pass@host` in any URL or connection string (postgres://, mongodb+srv://, amqp://, https://).
    name: 'url_credentials',
    // Anchored on the literal `://` (fast to find); the scheme itself does not matter.
    regex: re(String.raw`://[^\s:@/"'<>]{0,128}:(?<secret>[^\s@/"'<>]{1,256})@`, 'gd'),
    keywords: ['://'],
  },
  {
    // The same in a URL-encoded string (`postgres%3A%2F%2Fapp%3Ahunter2%40db`).
    name: 'url_credentials',
    regex: re(String.raw`%3A%2F%2F[^\s%:@/"'<>]{0,128}%3A(?<secret>[^\s@/"'<>]{1,256}?)%40`, 'gid'),
    keywords: ['%3a%2f%2f'],
  },
  {
    // Command-line flags: `--password 'value'`, `--token=value`, `mysql -u root -pvalue` / `-p value`.
    name: 'cli_password_flag',
    regex: re(
      String.raw`--(?<=(?:^|\s)--)(?:password|passwd|pass|pwd|token|secret|api-key|apikey|auth-token|access-token|client-secret|db-password)(?:=|\s{1,4})(?:'(?<secret>[^'\s]{1,256})'|"(?<secret2>[^"\s]{1,256})"|(?<secret3>[^\s'"-][^\s'"]{0,255}))|-p(?<=\s-u\s?\S{1,64}\s{1,4}-p)(?:\s{0,4}'(?<secret4>[^'\s]{1,256})'|\s{0,4}"(?<secret5>[^"\s]{1,256})"|(?<secret6>[^\s'"-][^\s'"]{3,255}))`,
      'gid',
    ),
    keywords: ['--pass', '--pwd', '--token', '--secret', '--api', '--auth', '--access', '--client', '--db-pass', ' -p'],
  },
  {
    // `.netrc`: `machine host login user password value` (no `=` or `:` to anchor on).
    name: 'netrc_password',
    regex: re(String.raw`\blogin\s{1,8}\S{1,128}\s{1,8}password\s{1,8}(?<secret>\S{1,256})`, 'gid'),
    keywords: ['password'],
  },
  {
    // Docker `config.json`: `"auth": "base64(user:pass)"`.
    name: 'docker_config_auth',
    regex: re(String.raw`"auth"\s{0,4}:\s{0,4}"(?<secret>[A-Za-z0-9+/]{8,1024}={0,2})"`, 'gd'),
    keywords: ['"auth"'],
  },
  // E-mail delivery providers (issue 12): SendGrid, Mailgun, Mailchimp/Mandrill, Brevo, Postmark, Resend.
  { name: 'sendgrid_api_key', regex: re(String.raw`SG\.(?<=${EDGE}SG\.)[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])`), keywords: ['sg.'], longRun: true },
  { name: 'mailgun_api_key', regex: re(String.raw`(?:key|pubkey)-(?<=${EDGE_DASH}(?:key|pubkey)-)[0-9a-f]{32}(?![0-9a-zA-Z])`), keywords: ['key-'], longRun: true },
  {
    // Mailgun's newer keys (`<32 hex>-<8 hex>-<8 hex>`) are only distinctive next to the provider's name.
    name: 'mailgun_api_key',
    regex: re(String.raw`mailgun[\w.-]{0,30}[\\"']{0,2}\s{0,4}[:=]\s{0,4}[\\"']{0,2}(?<secret>[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?![0-9a-zA-Z-])`, 'gid'),
    keywords: ['mailgun'],
  },
  {
    // Found by its `-usNN` suffix; the 32 hex digits before it are checked (and captured) behind.
    name: 'mailchimp_api_key',
    regex: re(String.raw`-us[0-9]{1,2}(?![0-9a-zA-Z])(?<=${EDGE_DASH}(?<secret>[0-9a-f]{32}-us[0-9]{1,2}))`, 'gd'),
    keywords: ['-us'],
    longRun: true,
  },
  { name: 'mandrill_api_key', regex: re(String.raw`(?:mandrill|mailchimp)[\w.-]{0,20}[\\"']{0,2}\s{0,4}[:=]\s{0,4}[\\"']{0,2}(?<secret>md-[A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])`, 'gid'), keywords: ['md-'] },
  { name: 'brevo_api_key', regex: re(String.raw`x(?:keysib|smtpsib)-(?<=${EDGE_DASH}x(?:keysib|smtpsib)-)[0-9a-f]{64}-[A-Za-z0-9]{16}(?![A-Za-z0-9])`), keywords: ['xkeysib-', 'xsmtpsib-'], longRun: true },
  {
    // Postmark server and account tokens are bare UUIDs: found by the header or variable that carries them.
    name: 'postmark_token',
    regex: re(String.raw`postmark[\w.-]{0,30}[\\"']{0,2}\s{0,4}[:=]\s{0,4}[\\"']{0,2}(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9a-f])`, 'gid'),
    keywords: ['postmark'],
  },
  { name: 'resend_api_key', regex: re(String.raw`re_(?<=${EDGE}re_)[A-Za-z0-9]{8}_[A-Za-z0-9]{24}(?![A-Za-z0-9_])`), keywords: ['re_'], longRun: true },
  // Other providers the secretlint recommended rules and the gitleaks defaults cover.
  { name: 'shopify_token', regex: re(String.raw`shp(?:at|ca|pa|ss)_(?<=${EDGE}shp(?:at|ca|pa|ss)_)[a-fA-F0-9]{32}(?![A-Za-z0-9])`), keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'], longRun: true },
  { name: 'linear_api_key', regex: re(String.raw`lin_api_(?<=${EDGE}lin_api_)[A-Za-z0-9]{40}(?![A-Za-z0-9])|lin_oauth_(?<=${EDGE}lin_oauth_)[a-f0-9]{64}(?![A-Za-z0-9])`), keywords: ['lin_api_', 'lin_oauth_'], longRun: true },
  { name: 'digitalocean_token', regex: re(String.raw`do[opr]_v1_(?<=${EDGE}do[opr]_v1_)[a-f0-9]{64}(?![a-f0-9])`), keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'], longRun: true },
  // A service token names its config between the kind and the token: `dp.st.prd.<token>`.
  { name: 'doppler_token', regex: re(String.raw`dp\.(?:pt|st|sa|ct|scim|audit)\.(?<=${EDGE}dp\.(?:pt|st|sa|ct|scim|audit)\.)[A-Za-z0-9_-]{40,44}(?![A-Za-z0-9])|dp\.st\.(?<=${EDGE}dp\.st\.)[a-z0-9_-]{1,40}\.[A-Za-z0-9_-]{40,44}(?![A-Za-z0-9])`), keywords: ['dp.'], longRun: true },
  { name: 'databricks_token', regex: re(String.raw`dapi(?<=${EDGE}dapi)[a-f0-9]{32}(?:-\d)?(?![A-Za-z0-9])`), keywords: ['dapi'], longRun: true },
  { name: 'postman_api_key', regex: re(String.raw`PMAK-(?<=${EDGE}PMAK-)[a-f0-9]{24}-[a-f0-9]{34}(?![a-f0-9])`, 'gi'), keywords: ['pmak-'], longRun: true },
  { name: 'grafana_token', regex: re(String.raw`glc_(?<=${EDGE}glc_)[A-Za-z0-9+/]{32,400}={0,2}|glsa_(?<=${EDGE}glsa_)[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}`), keywords: ['glc_', 'glsa_'] },
  { name: 'newrelic_key', regex: re(String.raw`NR(?:AK|AA)-(?<=${EDGE}NR(?:AK|AA)-)[A-Z0-9]{27}(?![A-Z0-9])|NRII-(?<=${EDGE}NRII-)[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])`), keywords: ['nrak-', 'nraa-', 'nrii-'], longRun: true },
  { name: 'sentry_token', regex: re(String.raw`sntry[su]_(?<=${EDGE}sntry[su]_)[A-Za-z0-9+/=_-]{40,300}`), keywords: ['sntrys_', 'sntryu_'] },
  { name: 'vault_token', regex: re(String.raw`hv[sbr]\.(?<=${EDGE}hv[sbr]\.)[A-Za-z0-9_-]{24,255}(?![A-Za-z0-9_-])`), keywords: ['hvs.', 'hvb.', 'hvr.'], longRun: true },
  // In the Bot API's URLs the token follows `/bot` directly: `https://api.telegram.org/bot<token>/getMe`.
  { name: 'telegram_bot_token', regex: re(String.raw`(?<=(?:^|[^0-9A-Za-z])(?:bot)?)[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])`), keywords: [':aa'], longRun: true },
  { name: 'square_token', regex: re(String.raw`(?:sq0atp|sq0csp)-(?<=${EDGE_DASH}(?:sq0atp|sq0csp)-)[A-Za-z0-9_-]{22,43}|EAAA(?<=${EDGE}EAAA)[A-Za-z0-9_-]{60}(?![A-Za-z0-9_-])`), keywords: ['sq0atp-', 'sq0csp-', 'eaaa'], longRun: true },
  { name: 'age_secret_key', regex: re(String.raw`AGE-SECRET-KEY-1[0-9A-Z]{58}`), keywords: ['age-secret-key-1'], longRun: true },
  {
    // `SK` + 32 hex is too common a shape (and `sk` too common a keyword) to look for without the provider's name nearby.
    name: 'twilio_api_key',
    regex: re(String.raw`twilio[\w.-]{0,30}[\\"']{0,2}\s{0,4}[:=]\s{0,4}[\\"']{0,2}(?<secret>SK[0-9a-f]{32})(?![0-9a-zA-Z])`, 'gid'),
    keywords: ['twilio'],
  },
  { name: 'alibaba_access_key', regex: re(String.raw`LTAI(?<=${EDGE}LTAI)[A-Za-z0-9]{20}(?![A-Za-z0-9])`), keywords: ['ltai'], longRun: true },
  { name: 'pulumi_token', regex: re(String.raw`pul-(?<=${EDGE}pul-)[a-f0-9]{40}(?![a-f0-9])`), keywords: ['pul-'], longRun: true },
  { name: 'planetscale_token', regex: re(String.raw`pscale_(?:tkn|pw|oauth)_(?<=${EDGE}pscale_(?:tkn|pw|oauth)_)[A-Za-z0-9._-]{32,64}`), keywords: ['pscale_'] },
  { name: 'flyio_token', regex: re(String.raw`fo1_(?<=${EDGE}fo1_)[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])`), keywords: ['fo1_'], longRun: true },
  // More of the gitleaks default providers, each by its prefix.
  prefixed('terraform_token', ['.atlasv1.'], String.raw`[A-Za-z0-9_=-]{60,70}(?<=(?<![A-Za-z0-9])[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})`, { edge: '', longRun: false }),
  prefixed('dropbox_token', ['sl.'], String.raw`[A-Za-z0-9_.-]{130,1400}`, { longRun: false }),
  prefixed('atlassian_token', ['ATATT3', 'ATCTT3'], String.raw`[A-Za-z0-9_=-]{150,260}`, { longRun: false }),
  prefixed('bitbucket_app_password', ['ATBB'], String.raw`[A-Za-z0-9]{32}`),
  prefixed('clojars_token', ['CLOJARS_'], String.raw`[a-z0-9]{60}`),
  prefixed('dynatrace_token', ['dt0c01.'], String.raw`[A-Z0-9]{24}\.[A-Z0-9]{64}`),
  prefixed('easypost_key', ['EZAK', 'EZTK'], String.raw`[A-Za-z0-9]{54}`),
  prefixed('facebook_token', ['EAACEdEose0cBA'], String.raw`[A-Za-z0-9]{20,400}`),
  prefixed('flutterwave_key', ['FLWSECK_TEST-', 'FLWSECK-', 'FLWPUBK_TEST-'], String.raw`[A-Fa-f0-9]{12,32}-X`, { keywords: ['flw'] }),
  prefixed('frameio_token', ['fio-u-'], String.raw`[A-Za-z0-9_=-]{64}`, { longRun: false }),
  prefixed('notion_token', ['ntn_'], String.raw`[A-Za-z0-9]{40,50}`),
  prefixed('notion_token', ['secret_'], String.raw`[A-Za-z0-9]{43}`),
  prefixed('openshift_token', ['sha256~'], String.raw`[A-Za-z0-9_-]{43}`),
  prefixed('prefect_token', ['pnu_'], String.raw`[A-Za-z0-9]{36}`),
  prefixed('readme_key', ['rdme_'], String.raw`[a-z0-9]{70}`),
  prefixed('rubygems_key', ['rubygems_'], String.raw`[a-f0-9]{48}`),
  prefixed('scalingo_token', ['tk-us-'], String.raw`[A-Za-z0-9_-]{48}`),
  prefixed('shippo_token', ['shippo_live_', 'shippo_test_'], String.raw`[a-f0-9]{40}`, { keywords: ['shippo_'] }),
  prefixed('typeform_token', ['tfp_'], String.raw`[A-Za-z0-9_.=-]{40,80}`, { longRun: false }),
  prefixed('onepassword_token', ['ops_eyJ'], String.raw`[A-Za-z0-9+/]{200,4000}={0,3}`, { longRun: false }),
  { name: 'onepassword_secret_key', regex: re(String.raw`A3-(?<=${EDGE_DASH}A3-)[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}(?![A-Z0-9-])`), keywords: ['a3-'], longRun: true },
  prefixed('harness_token', ['pat.', 'sat.'], String.raw`[A-Za-z0-9_-]{22}\.[0-9a-f]{24}\.[A-Za-z0-9]{20}`),
  prefixed('infracost_key', ['ico-'], String.raw`[A-Za-z0-9]{32}`),
  prefixed('perplexity_key', ['pplx-'], String.raw`[A-Za-z0-9]{48}`),
  prefixed('groq_key', ['gsk_'], String.raw`[A-Za-z0-9]{52}`),
  prefixed('replicate_token', ['r8_'], String.raw`[A-Za-z0-9]{37}`),
  prefixed('xai_key', ['xai-'], String.raw`[A-Za-z0-9]{80}`),
  prefixed('octopus_key', ['API-'], String.raw`(?=[A-Z]{0,31}[0-9])[A-Z0-9]{26,32}`),
  prefixed('dockerhub_token', ['dckr_pat_', 'dckr_oat_'], String.raw`[A-Za-z0-9_-]{27,40}`, { keywords: ['dckr_'] }),
  prefixed('sonarqube_token', ['squ_', 'sqp_', 'sqa_'], String.raw`[a-f0-9]{40}`),
  prefixed('circleci_token', ['CCIPAT_', 'CCIPRJ_'], String.raw`[A-Za-z0-9]{22}_[a-f0-9]{40}`, { keywords: ['ccip'] }),
  prefixed('buildkite_token', ['bkua_'], String.raw`[a-f0-9]{40}`),
  prefixed('supabase_token', ['sbp_'], String.raw`[a-f0-9]{40}`),
  prefixed('supabase_token', ['sb_secret_'], String.raw`[A-Za-z0-9_-]{30,64}`),
  prefixed('vercel_token', ['vcp_', 'vck_', 'vci_', 'vca_', 'vcr_'], String.raw`[A-Za-z0-9]{40,64}`),
  prefixed('netlify_token', ['nfp_'], String.raw`[A-Za-z0-9]{36,40}`),
  prefixed('render_key', ['rnd_'], String.raw`[A-Za-z0-9]{32}`),
  prefixed('airtable_token', ['pat'], String.raw`[A-Za-z0-9]{14}\.[a-f0-9]{64}`),
  prefixed('mapbox_token', ['sk.eyJ'], String.raw`[A-Za-z0-9_-]{50,300}\.[A-Za-z0-9_-]{20,30}`),
  prefixed('heroku_key', ['HRKU-'], String.raw`[A-Za-z0-9_-]{60}`),
  prefixed('jfrog_key', ['AKCp'], String.raw`[A-Za-z0-9]{69}`),
  prefixed('jfrog_token', ['cmVmdGtuOjAx'], String.raw`[A-Za-z0-9]{52}`),
  prefixed('hubspot_token', ['pat-na1-', 'pat-eu1-'], String.raw`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`),
  // AI and developer-tool providers an agent's own project is likely to hold keys for.
  prefixed('openrouter_key', ['sk-or-v1-'], String.raw`[a-f0-9]{64}`),
  prefixed('langsmith_key', ['lsv2_pt_', 'lsv2_sk_'], String.raw`[a-f0-9]{32}_[a-f0-9]{10}`, { keywords: ['lsv2_'] }),
  prefixed('nvidia_key', ['nvapi-'], String.raw`[A-Za-z0-9_-]{64}`),
  prefixed('tavily_key', ['tvly-'], String.raw`(?:dev-|prod-)?[A-Za-z0-9]{32}`),
  prefixed('posthog_personal_key', ['phx_'], String.raw`[A-Za-z0-9]{43}`),
  prefixed('vercel_blob_token', ['vercel_blob_rw_'], String.raw`[A-Za-z0-9]{10,32}_[A-Za-z0-9]{20,40}`),
  prefixed('figma_token', ['figd_'], String.raw`[A-Za-z0-9_-]{40,43}`),
  prefixed('adafruit_key', ['aio_'], String.raw`[A-Za-z0-9]{28}`),
  prefixed('settlemint_token', ['sm_pat_', 'sm_aat_', 'sm_sat_'], String.raw`[A-Za-z0-9]{16}`, { keywords: ['sm_'] }),
  prefixed('duffel_token', ['duffel_test_', 'duffel_live_'], String.raw`[A-Za-z0-9_=-]{43}`, { keywords: ['duffel_'] }),
  prefixed('cloudflare_origin_ca_key', ['v1.0-'], String.raw`[a-f0-9]{24}-[a-f0-9]{146}`),
  {
    // An incoming webhook's URL is its credential: whoever holds it posts into the channel.
    name: 'teams_webhook',
    regex: re(String.raw`\.webhook\.office\.com/webhookb2/(?<secret>[A-Za-z0-9@/_-]{40,400})`, 'gd'),
    keywords: ['webhook.office.com'],
  },
  {
    // ADO.NET, ODBC and JDBC connection strings: `…;Pwd=value;` (the value may be all letters).
    name: 'connection_string_password',
    regex: re(String.raw`(?:pwd|password)(?<=;\s{0,4}(?:pwd|password))\s{0,4}=\s{0,4}${NOT_A_VALUE}(?<secret>[^;\s"'{}]{1,256})(?=;|\s|$)`, 'gid'),
    keywords: ['pwd', 'password'],
  },
  {
    // A PuTTY key file holds its private half in the lines after `Private-Lines: N`.
    name: 'private_key',
    regex: re(String.raw`Private-Lines:\s{0,4}\d{1,3}\r?\n(?<secret>[A-Za-z0-9+/=\r\n]{16,8000})`, 'gd'),
    keywords: ['private-lines'],
  },
  {
    // Bundler's credentials for a private gem server, by host: `BUNDLE_GEMS__CONTRIBSYS__COM=user:pass`.
    name: 'bundler_credentials',
    regex: re(String.raw`BUNDLE_[A-Z0-9_]{1,80}__[A-Z0-9_]{1,80}[\s"']{0,3}[:=]\s{0,4}["']?(?<secret>[^\s"']{8,256})`, 'gd'),
    keywords: ['bundle_'],
  },
  {
    // Found by the key's ending (`…_TOKEN=`, `…_KEY:`), then the provider's name is checked behind it.
    name: 'provider_keyed_secret',
    regex: re(
      String.raw`(?:token|key|secret|pat|password|auth)(?<=(?:^|[^A-Za-z0-9])(?:${KEYED_PROVIDERS})[\w.-]{0,30}(?:token|key|secret|pat|password|auth))[\\"']{0,2}\s{0,4}[:=]\s{0,4}[\\"']{0,2}${NOT_A_VALUE}(?=[A-Za-z0-9_.~+/=-]{0,255}[0-9])(?<secret>[A-Za-z0-9_.~+/=-]{16,256})`,
      'gid',
    ),
    keywords: ['token', 'key', 'secret', '_pat', '-pat', 'passw', 'auth'],
  },
  {
    // A bare `pass` key (nodemailer's `auth: { user, pass }`, `"pass": …`): only as a whole word, so
    // `bypass:` and `compass:` stay; the value must be quoted or carry a digit or symbol.
    name: 'password_assignment',
    regex: re(
      String.raw`pass(?<=(?:^|[\s"'\x60,;{(])pass)["']{0,2}\s{0,4}[:=]\s{0,4}(?:(?<q>["'])${NOT_A_VALUE}(?<secret>[^"'\s\\]{4,256})\k<q>|${NOT_A_VALUE}${HAS_DIGIT_OR_SYMBOL}(?=(?<v>${VALUE_CHAR}{6,256}))(?<secret2>\k<v>)(?!${VALUE_CHAR}))`,
      'gid',
    ),
    keywords: ['pass"', "pass'", 'pass:', 'pass=', 'pass '],
  },
  {
    // A `.env` line (`DB_PASSWORD=quietmorningrain`): an upper-case name ending in a secret's word,
    // alone on its line, takes any value, letters only too; code never assigns that way.
    name: 'password_assignment',
    regex: re(
      String.raw`(?:PASS(?:WORD|WD|PHRASE)?|PWD|SECRET|TOKEN)=(?<=(?:^|^export\s{1,4})[A-Z][A-Z0-9_]{0,60}(?:PASSWORD|PASSWD|PASS|PWD|PASSPHRASE|SECRET|TOKEN)=)${NOT_A_VALUE}(?<secret>[A-Za-z0-9!@#%^*+/=~._-]{6,256})(?=[ \t]{0,8}(?:#|\r?$))`,
      'gmd',
    ),
    keywords: ['pass=', 'password=', 'passwd=', 'passphrase=', 'pwd=', 'secret=', 'token='],
  },
  {
    // `Authorization: token <value>` (GitHub's classic form) and `aws_session_token = …`.
    name: 'authorization_token',
    regex: re(String.raw`authorization[\\"']{0,2}\s{0,4}[:=]\s{0,4}[\\"']{0,2}token\s{1,4}(?<secret>[A-Za-z0-9_.~+/-]{16,1024}={0,2})`, 'gid'),
    keywords: ['authorization'],
  },
  {
    name: 'aws_session_token',
    regex: re(String.raw`(?:aws_?session_?token|aws_?security_?token)[\\"']{0,2}\s{0,4}[:=]\s{0,4}[\\"']{0,2}(?<secret>[A-Za-z0-9/+=]{100,2048})`, 'gid'),
    keywords: ['aws_s', 'awss'],
  },
  {
    // `curl -u user:pass` (not `docker run -u 1000:1000`: only after curl on the same command).
    name: 'cli_credentials',
    regex: re(String.raw`(?:-u|--user)(?<=\bcurl\s[^\n|;&]{0,200}(?:-u|--user))\s{1,4}['"]?[^\s:'"]{1,64}:(?<secret>[^\s'"]{1,256})`, 'gid'),
    keywords: ['curl'],
  },
  commandFlag('sshpass', '-p', '\\s{0,4}'),
  commandFlag('redis-cli', '-a'),
  commandFlag('ldap(?:search|add|modify|delete|passwd|whoami|compare|modrdn)', '-w', '\\s{1,4}', 'ldap'),
  commandFlag('zip', '-P'),
  commandFlag('7za?', '-p', '', '7z'),
  commandFlag('ssh-keygen', '-[PN]', '\\s{1,4}', 'ssh-keygen'),
  // Registry and cloud logins take the password as `-p value` (`docker login -u ci -p …`, `az login -p …`).
  commandFlag(String.raw`(?:docker|podman|buildah|nerdctl|oras|oc|az|cf|helm\s{1,4}registry)\s{1,4}login`, '-p', '\\s{1,4}', 'login'),
  commandFlag('sqlcmd', '-P'),
  commandFlag('mongo(?:sh)?', '-p', '\\s{1,4}', 'mongo'),
  // Windows `net use \\\\host\\share /user:DOMAIN\\name <password>`.
  commandFlag(String.raw`net\s{1,4}use`, String.raw`/user:\S{1,128}`, '\\s{1,4}', 'net use'),
  {
    // `echo value | docker login --password-stdin`: the value is echoed into the login.
    name: 'cli_credentials',
    regex: re(String.raw`echo\s{1,4}(?:'(?<secret>[^'\s]{1,256})'|"(?<secret2>[^"\s]{1,256})"|${NOT_A_VALUE}(?<secret3>[^\s'"$|-][^\s'"|]{0,255}))\s{0,4}\|[^\n|]{0,200}--password-stdin`, 'gd'),
    keywords: ['password-stdin'],
  },
  {
    // `smtp.login("user", "password")` (smtplib, ftplib, imaplib, poplib and their look-alikes).
    name: 'cli_credentials',
    regex: re(String.raw`\.login\(\s{0,4}(?<q1>["'])[^"'\n]{1,128}\k<q1>\s{0,4},\s{0,4}(?<q>["'])${NOT_A_VALUE}(?<secret>[^"'\s]{4,256})\k<q>`, 'gd'),
    keywords: ['.login('],
  },
  {
    // openssl's `-passin pass:value` / `-passout pass:value` (not `env:NAME` or `file:path`).
    name: 'cli_credentials',
    regex: re(String.raw`(?<=(?:^|\s)-pass(?:in|out|word)?\s{1,4}['"]?)pass:(?<secret>[^\s'"]{1,256})`, 'gid'),
    keywords: ['pass:'],
  },
  {
    // `<password>value</password>` (Maven settings, .NET and Java configs), any prefix or namespace.
    name: 'xml_secret_element',
    regex: re(String.raw`<(?<tag>[A-Za-z0-9_.:-]{0,40}(?:${SECRET_KEYS}))>\s{0,4}${NOT_A_VALUE}(?<secret>[^<\s]{4,256})\s{0,4}</\k<tag>>`, 'gid'),
    keywords: ['password>', 'passwd>', 'pwd>', 'passphrase>', 'secret>', 'token>', 'key>', '_pass>', '-pass>', 'psk>'],
  },
  {
    // Kubernetes and compose env lists: `- name: DB_PASSWORD` then `value: "…"` on the next line.
    name: 'env_pair_secret',
    regex: re(
      String.raw`name:\s{0,4}["']?[A-Za-z0-9_.-]{0,40}(?:${SECRET_KEYS}|token|api_?key)["']?[ \t]{0,8}\r?\n[ \t]{0,40}value:[ \t]{0,4}(?:(?<q>["'])${NOT_A_VALUE}(?<secret>[^"'\s]{4,256})\k<q>|${NOT_A_VALUE}(?<secret2>[^\s"'#]{4,256}))`,
      'gid',
    ),
    keywords: ['value:'],
  },
  {
    // A session cookie is a bearer credential: `Cookie: sessionid=…`, `Set-Cookie: connect.sid=…`.
    // Found at the `=` of a session-like name, then checked to sit on a cookie header line.
    name: 'session_cookie',
    regex: re(
      String.raw`=(?<=[\s;:][A-Za-z0-9_.-]{0,40}(?:sess|sid|token|auth|jwt)[A-Za-z0-9_.-]{0,40}=)(?<=cookie:[^\n]{0,1024})(?<secret>[^;\s]{16,4096})`,
      'gid',
    ),
    keywords: ['cookie:'],
  },
  {
    name: 'pgpass_line',
    regex: re(String.raw`^[A-Za-z0-9.*_-]{1,253}:(?:\d{1,5}|\*):[^:\s]{1,64}:[^:\s]{1,64}:(?<secret>[^\s]{1,256})$`, 'gmd'),
    keywords: [':5432:', ':*:'],
  },
  {
    // The key comes first (cheap to find); the lookbehind then requires it to start after a delimiter
    // (never inside a value, so `pwd=pwd=…` costs one pass), allowing an identifier prefix
    // (`DB_PASSWORD`, `mysql.root.password`). The value ends at a delimiter.
    name: 'password_assignment',
    regex: re(
      String.raw`(?:${SECRET_KEYS})(?<=(?:^|[\s"'\x60,;:=(){}\[\]&?|\\])[A-Za-z0-9_.-]{0,40}(?:${SECRET_KEYS}))[\\"']{0,2}\s{0,4}[:=]\s{0,4}(?:\\?(?<q>["'])${NOT_A_VALUE}(?<secret>[^"'\s\\]{4,256})\\?\k<q>|${NOT_A_VALUE}${HAS_DIGIT_OR_SYMBOL}(?=(?<v>${VALUE_CHAR}{6,256}))(?<secret2>\k<v>)(?!${VALUE_CHAR}))`,
      'gid',
    ),
    // Each key above contains one of these (`pass` alone would wake the regex on every `passes`).
    keywords: ['passw', 'passp', '_pass', '-pass', 'pwd', 'secret', 'token', 'private_key', 'encryption', 'signing', 'master_key', 'masterkey', 'hmac', 'psk'],
  },
  // Last, and only where no pattern above matched: it names what the others do not know.
  {
    // Any other provider: a generated-looking value (`looksGenerated`) under a name that says it is a
    // credential (`ADAFRUIT_IO_KEY=`, `clientSecret:`, a YAML `token:`), as gitleaks' generic rule
    // does. Names that hold public or non-secret values (`public_key`, `nextPageToken`, `cache_key`)
    // are left out, and a bare `key` is a map's key, not a credential. The name may end in a version or
    // an environment (`API_KEY_V2`, `SECRET_KEY_BASE`, `TOKEN_PROD`).
    name: 'keyed_token',
    regex: re(
      String.raw`(?:token|secret|key|credentials?|creds)(?<=(?:^|[^A-Za-z0-9_.-])[A-Za-z0-9_.-]{0,40}(?:token|secret|[A-Za-z0-9][_.-]?key|credentials?|creds))(?<!(?:page|next|continuation|sync|resume|cursor|public|publishable|cache|sort|partition|primary|foreign|idempotency|object|lookup|routing|hash|range|row|dedupe|i18n|translation|host)[_.-]?(?:token|key))(?:[_.-]v[0-9]|[_.-][0-9]|[_.-](?:base|prod|production|live|dev|test|staging|old|new|primary|secondary))?[\\"']{0,2}\s{0,4}(?::=|=>|[:=])\s{0,4}(?:\\["']|["'])?${NOT_A_VALUE}(?=(?<v>[A-Za-z0-9_.~+/=%-]{20,256}))(?<secret>\k<v>)(?![A-Za-z0-9_.~+/=%-])`,
      'gid',
    ),
    keywords: ['token', 'secret', 'key', 'cred'],
    accept: looksGenerated,
    fallback: true,
  },
] satisfies SecretPattern[]);
