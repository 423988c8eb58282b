import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/scan/redactor.js';
import { hasTokenRun } from '../../../src/scan/base64-runs.js';
import { SECRET_PATTERNS } from '../../../src/scan/patterns/secrets.js';
// @ts-expect-error plain ESM fixture without types
import { secretCases } from '../../fixtures/corpus/secrets.mjs';
// @ts-expect-error plain ESM fixture without types
import { seeded } from '../../fixtures/detection/compose.mjs';

// The gitleaks default providers beyond those of secret-forms.test.ts, each in its own format.
// Values are generated from a seeded PRNG at run time, so no live-looking credential sits in the repository.
const rand = seeded(20261204);
const pick = (alphabet: string, n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
const AN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_NUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_NUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';
const URLSAFE = AN + '_-';
const uuid = (): string => [8, 4, 4, 4, 12].map((n) => pick(HEX, n)).join('-');
const redactor = createRedactor();

/** [provider, the secret, the text that carries it]. */
const PROVIDERS: [string, string, (secret: string) => string][] = [
  ['terraform_token', `${pick(AN, 14)}.atlasv1.${pick(AN, 67)}`, (s) => `token = "${s}"`],
  ['dropbox_token', `sl.${pick(URLSAFE, 135)}`, (s) => `DROPBOX=${s}`],
  ['atlassian_token', `ATATT3x${pick(URLSAFE, 180)}`, (s) => `jira: ${s}`],
  ['bitbucket_app_password', `ATBB${pick(AN, 32)}`, (s) => s],
  ['clojars_token', `CLOJARS_${pick(LOWER_NUM, 60)}`, (s) => s],
  ['dynatrace_token', `dt0c01.${pick(UPPER_NUM, 24)}.${pick(UPPER_NUM, 64)}`, (s) => s],
  ['easypost_key', `EZAK${pick(AN, 54)}`, (s) => s],
  ['facebook_token', `EAACEdEose0cBA${pick(AN, 100)}`, (s) => s],
  ['flutterwave_key', `FLWSECK_TEST-${pick(HEX, 32)}-X`, (s) => s],
  ['frameio_token', `fio-u-${pick(URLSAFE, 64)}`, (s) => s],
  ['notion_token', `ntn_${pick(AN, 46)}`, (s) => s],
  ['notion_token', `secret_${pick(AN, 43)}`, (s) => s],
  ['openshift_token', `sha256~${pick(URLSAFE, 43)}`, (s) => `oc login --token=${s}`],
  ['prefect_token', `pnu_${pick(AN, 36)}`, (s) => s],
  ['readme_key', `rdme_${pick(LOWER_NUM, 70)}`, (s) => s],
  ['rubygems_key', `rubygems_${pick(HEX, 48)}`, (s) => s],
  ['scalingo_token', `tk-us-${pick(URLSAFE, 48)}`, (s) => s],
  ['shippo_token', `shippo_live_${pick(HEX, 40)}`, (s) => s],
  ['typeform_token', `tfp_${pick(URLSAFE, 44)}_${pick(AN, 14)}`, (s) => s],
  ['onepassword_token', `ops_eyJ${pick(AN, 250)}`, (s) => `OP_SERVICE_ACCOUNT_TOKEN=${s}`],
  ['onepassword_secret_key', `A3-${pick(UPPER_NUM, 6)}-${pick(UPPER_NUM, 11)}-${pick(UPPER_NUM, 5)}-${pick(UPPER_NUM, 5)}-${pick(UPPER_NUM, 5)}`, (s) => s],
  ['harness_token', `pat.${pick(URLSAFE, 22)}.${pick(HEX, 24)}.${pick(AN, 20)}`, (s) => s],
  ['infracost_key', `ico-${pick(AN, 32)}`, (s) => s],
  ['perplexity_key', `pplx-${pick(AN, 48)}`, (s) => s],
  ['groq_key', `gsk_${pick(AN, 52)}`, (s) => s],
  ['replicate_token', `r8_${pick(AN, 37)}`, (s) => s],
  ['xai_key', `xai-${pick(AN, 80)}`, (s) => s],
  ['octopus_key', `API-${pick('ABCDEFGHIJ', 10)}7${pick(UPPER_NUM, 15)}`, (s) => s],
  ['dockerhub_token', `dckr_pat_${pick(URLSAFE, 27)}`, (s) => s],
  ['sonarqube_token', `squ_${pick(HEX, 40)}`, (s) => s],
  ['circleci_token', `CCIPAT_${pick(AN, 22)}_${pick(HEX, 40)}`, (s) => s],
  ['buildkite_token', `bkua_${pick(HEX, 40)}`, (s) => s],
  ['supabase_token', `sbp_${pick(HEX, 40)}`, (s) => s],
  ['vercel_token', `vcp_${pick(AN, 56)}`, (s) => s],
  ['netlify_token', `nfp_${pick(AN, 36)}`, (s) => s],
  ['render_key', `rnd_${pick(AN, 32)}`, (s) => s],
  ['airtable_token', `pat${pick(AN, 14)}.${pick(HEX, 64)}`, (s) => s],
  ['mapbox_token', `sk.eyJ1${pick(AN, 60)}.${pick(URLSAFE, 22)}`, (s) => s],
  ['heroku_key', `HRKU-${pick(URLSAFE, 60)}`, (s) => s],
  ['jfrog_key', `AKCp${pick(AN, 69)}`, (s) => s],
  ['hubspot_token', `pat-na1-${uuid()}`, (s) => s],
  ['provider_keyed_secret', `api-${uuid()}`, (s) => `LAUNCHDARKLY_API_KEY=${s}`],
  ['provider_keyed_secret', `live_${pick(HEX, 35)}`, (s) => `LOB_API_KEY="${s}"`],
  // Providers of earlier passes, here so every token pattern has a sample (see "marked longRun" below).
  ['sendgrid_api_key', `SG.${pick(URLSAFE, 22)}.${pick(URLSAFE, 43)}`, (s) => s],
  ['mailgun_api_key', `key-${pick(HEX, 32)}`, (s) => `MAILGUN=${s}`],
  ['mailchimp_api_key', `${pick(HEX, 32)}-us14`, (s) => `key ${s}`],
  ['brevo_api_key', `xkeysib-${pick(HEX, 64)}-${pick(AN, 16)}`, (s) => s],
  ['resend_api_key', `re_${pick(AN, 8)}_${pick(AN, 24)}`, (s) => s],
  ['shopify_token', `shpat_${pick(HEX, 32)}`, (s) => s],
  ['linear_api_key', `lin_api_${pick(AN, 40)}`, (s) => s],
  ['digitalocean_token', `dop_v1_${pick(HEX, 64)}`, (s) => s],
  ['doppler_token', `dp.pt.${pick(AN, 43)}`, (s) => s],
  ['databricks_token', `dapi${pick(HEX, 32)}`, (s) => s],
  ['postman_api_key', `PMAK-${pick(HEX, 24)}-${pick(HEX, 34)}`, (s) => s],
  ['grafana_token', `glsa_${pick(AN, 32)}_${pick(HEX, 8)}`, (s) => s],
  ['newrelic_key', `NRAK-${pick(UPPER_NUM, 27)}`, (s) => s],
  ['vault_token', `hvs.${pick(URLSAFE, 90)}`, (s) => s],
  ['telegram_bot_token', `${pick('123456789', 9)}:AA${pick(URLSAFE, 33)}`, (s) => `bot ${s}`],
  ['square_token', `sq0atp-${pick(URLSAFE, 22)}`, (s) => s],
  ['age_secret_key', `AGE-SECRET-KEY-1${pick(UPPER_NUM, 58)}`, (s) => s],
  ['alibaba_access_key', `LTAI${pick(AN, 20)}`, (s) => s],
  ['pulumi_token', `pul-${pick(HEX, 40)}`, (s) => s],
  ['flyio_token', `fo1_${pick(URLSAFE, 43)}`, (s) => s],
  ['supabase_token', `sb_secret_${pick(URLSAFE, 40)}`, (s) => s],
  ['jfrog_token', `cmVmdGtuOjAx${pick(AN, 52)}`, (s) => s],
  ['provider_keyed_secret', uuid(), (s) => `SNYK_TOKEN=${s}`],
  ['provider_keyed_secret', uuid(), (s) => `HEROKU_API_KEY: "${s}"`],
  ['provider_keyed_secret', pick('abcdefghijklmnopqrstuvwxyz234567', 51) + '7', (s) => `AZURE_DEVOPS_PAT=${s}`],
  ['provider_keyed_secret', pick(URLSAFE, 39) + '1', (s) => `export CLOUDFLARE_API_TOKEN=${s}`],
  ['authorization_token', pick(HEX, 40), (s) => `Authorization: token ${s}`],
  ['aws_session_token', pick(AN + '/+', 300), (s) => `aws_session_token = ${s}`],
  ['cli_credentials', pick(AN, 14) + '2', (s) => `curl -sS -u admin:${s} https://ci.example.com/api`],
  ['cli_credentials', pick(AN, 12), (s) => `sshpass -p '${s}' ssh deploy@host`],
  ['pgpass_line', pick(AN, 20), (s) => `db.example.com:5432:app:admin:${s}`],
  // Forms a probe of our own found missing (2026-12-05): Sentry's real prefixes, a bot token in the
  // Telegram API URL, a Doppler service token with its config segment, and AI/dev-tool providers.
  ['sentry_token', `sntryu_${pick(HEX, 64)}`, (s) => `SENTRY_TOKEN=${s}`],
  ['sentry_token', `sntrys_eyJ${pick(AN, 80)}_${pick(URLSAFE, 43)}`, (s) => s],
  ['telegram_bot_token', `${pick('123456789', 10)}:AA${pick(URLSAFE, 33)}`, (s) => `curl https://api.telegram.org/bot${s}/sendMessage`],
  ['doppler_token', `dp.st.prd.${pick(AN, 43)}`, (s) => s],
  ['openrouter_key', `sk-or-v1-${pick(HEX, 64)}`, (s) => s],
  ['langsmith_key', `lsv2_pt_${pick(HEX, 32)}_${pick(HEX, 10)}`, (s) => s],
  ['nvidia_key', `nvapi-${pick(URLSAFE, 64)}`, (s) => s],
  ['tavily_key', `tvly-${pick(AN, 32)}`, (s) => s],
  ['tavily_key', `tvly-dev-${pick(AN, 32)}`, (s) => s],
  ['posthog_personal_key', `phx_${pick(AN, 43)}`, (s) => s],
  ['vercel_blob_token', `vercel_blob_rw_${pick(AN, 16)}_${pick(AN, 30)}`, (s) => s],
  ['figma_token', `figd_${pick(URLSAFE, 40)}`, (s) => s],
  ['linear_api_key', `lin_oauth_${pick(HEX, 64)}`, (s) => s],
];

describe('providers from the gitleaks defaults', () => {
  it.each(PROVIDERS.map(([name, secret, carry]) => [name, secret, carry(secret)] as const))('%s: %s', (name, secret, text) => {
    const out = redactor.redactString(text);
    expect(out.value, text).not.toContain(secret);
    expect(out.patterns).toContain(name);
  });
});

describe('their look-alikes stay as they are', () => {
  it.each([
    'docker run --rm -u 1000:1000 -v "$PWD:/src" node:20 npm test',
    'git push -u origin feature/login:feature/login',
    'sort -u names.txt | uniq -c',
    'The compat. layer and the pat. pending note (see sl. 4 of the deck).',
    'const secret_key_base = process.env.SECRET_KEY_BASE;',
    'api-gateway-v2 and sdk-version-3 are documented in CHANGELOG.md',
    `test_${'abc'.repeat(4)}_handles_empty_input`,
    'ls /usr/lib/x86_64-linux-gnu | grep ssl',
    'SNYK_TOKEN=${{ secrets.SNYK_TOKEN }}',
    'HEROKU_API_KEY: <your-heroku-api-key>',
    'curl -u "$USER:$TOKEN" https://api.example.com',
    'host:5432:db:user',
    'nextPageToken: "CAUQAA"',
    `trace sdk-${'4f6a2c1e'}-1b2c-4d5e-8f90-${'a1b2c3d4e5f6'} and api-${'0a1b2c3d'}-4e5f-6a7b-8c9d-${'0e1f2a3b4c5d'}`,
    `test_${'0123456789abcdef'.repeat(2)}abc passed`,
  ])('%s', (text) => {
    expect(redactor.redactString(text).value).toBe(text);
  });
});

describe('token patterns marked longRun', () => {
  // They are not even looked for in a text without a run of 20+ A-Za-z0-9_- characters, so each
  // of their matches, with what its lookbehind reads, must hold one.
  const texts = [...PROVIDERS.map(([, secret, carry]) => carry(secret)), ...(secretCases() as { text: string }[]).map((c) => c.text)];
  const marked = SECRET_PATTERNS.filter((p) => p.longRun === true);

  it('cover most of the catalog', () => {
    expect(marked.length).toBeGreaterThan(60);
  });

  it.each(marked.map((p) => [p.name, p] as const))('%s matches only where a long run is', (_name, pattern) => {
    let matched = 0;
    for (const text of texts) {
      for (const m of text.matchAll(new RegExp(pattern.regex.source, pattern.regex.flags))) {
        const around = text.slice(Math.max(0, m.index - 64), m.index + m[0].length);
        expect(hasTokenRun(around), `${pattern.name} in ${around}`).toBe(true);
        matched += 1;
      }
    }
    expect(matched, `no sample of ${pattern.name}: add one to PROVIDERS`).toBeGreaterThan(0);
  });
});
