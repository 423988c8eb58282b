import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/scan/redactor.js';
import { isPlaceholder } from '../../../src/scan/placeholders.js';

// Values are assembled at run time so no live-looking credential sits in the repository.
const redactor = createRedactor();
const GHP = 'ghp_' + 'Ab3Xy9'.repeat(6);
const AKIA = 'AKIA' + 'Z7Q3R5T2W4Y6U8P1';
const hex = (n: number): string => '0123456789abcdef'.repeat(8).slice(0, n);
const alnum = (n: number): string => 'Qw3rTy7UiOp2AsDf5GhJkL9zXcVbNm4'.repeat(4).slice(0, n);

function expectRedacted(text: string, secret: string, pattern?: string): void {
  const out = redactor.redactString(text);
  expect(out.value, text).not.toContain(secret);
  if (pattern !== undefined) expect(out.patterns).toContain(pattern);
}

describe('tokens next to `_`, letters or percent-escapes (security review 2026-12, finding 8)', () => {
  it.each([
    ['a URL-encoded query value', `https://x.example/cb?next=%2Fapi%3Ftoken%3D${GHP}`, GHP],
    ['a URL-encoded bearer header', `Authorization%3A%20Bearer%20${GHP}`, GHP],
    ['an identifier prefix', `GH_TOKEN_${GHP}`, GHP],
    ['a URL-encoded AWS assignment', `AWS_KEY%3D${AKIA}`, AKIA],
    ['a URL-encoded connection string', `postgres%3A%2F%2Fapp%3Ahunter2hunter2%40db%3A5432%2Fx`, 'hunter2hunter2'],
  ])('redacts a token in %s', (_label, text, secret) => expectRedacted(text, secret));

  it('still leaves a token-like run inside a longer word alone', () => {
    const inside = `x${GHP}`.replace('ghp_', 'Zghp_') + 'q';
    expect(redactor.redactString(`sha ${'A'.repeat(3)}${AKIA}B`).patterns).toEqual([]);
    expect(redactor.redactString(inside).patterns).not.toContain('github_token');
  });
});

describe('secret forms the issue names (issue 12)', () => {
  it('redacts e-mail delivery provider keys', () => {
    const sendgrid = `SG.${alnum(22)}.${alnum(43)}`;
    expectRedacted(`mail: ${sendgrid}`, sendgrid, 'sendgrid_api_key');
    expectRedacted(`MAILGUN_KEY=key-${hex(32)}`, `key-${hex(32)}`, 'mailgun_api_key');
    expectRedacted(`mailgun_signing_key: ${hex(32)}-${hex(8)}-${hex(8)}`, `${hex(32)}-${hex(8)}-${hex(8)}`, 'mailgun_api_key');
    expectRedacted(`X-Postmark-Server-Token: 1b2c3d4e-1234-4abc-8def-${hex(12)}`, `1b2c3d4e-1234-4abc-8def-${hex(12)}`, 'postmark_token');
    expectRedacted(`key ${hex(32)}-us14`, `${hex(32)}-us14`, 'mailchimp_api_key');
    expectRedacted(`xkeysib-${hex(64)}-${alnum(16)}`, hex(64), 'brevo_api_key');
    expectRedacted(`RESEND_API_KEY=re_${alnum(8)}_${alnum(24)}`, `re_${alnum(8)}_${alnum(24)}`);
  });

  it('redacts URL credentials with an empty user name', () => {
    expectRedacted('redis://:s3cretPass99@cache.internal:6379/0', 's3cretPass99', 'url_credentials');
    expectRedacted('amqps://:Zx9-pass-Q@mq.example.net/vhost', 'Zx9-pass-Q', 'url_credentials');
  });

  it.each([
    ["--password 'value'", "mysql --user app --password 'Tr0ub4dor&3' orders", 'Tr0ub4dor&3'],
    ['--password "value"', 'pg_dump --password "hunter2x!" app', 'hunter2x!'],
    ['--password=value', 'cli login --password=Zq8!mNp0', 'Zq8!mNp0'],
    ['--token value', 'gh-release --token abcd1234efgh5678', 'abcd1234efgh5678'],
    ['-u user -pvalue', 'mysql -u root -pS3cr3tPw db', 'S3cr3tPw'],
  ])('redacts a command-line flag: %s', (_label, text, secret) => expectRedacted(text, secret, 'cli_password_flag'));

  it.each([
    ['SMTP_PASS=value', 'SMTP_PASS=hunter2x9', 'hunter2x9'],
    ['DB_PASS: "value"', 'DB_PASS: "Qw3rtyuiop"', 'Qw3rtyuiop'],
    ['export REDIS_PASS=value', 'export REDIS_PASS=r3d1s-p4ss', 'r3d1s-p4ss'],
  ])('redacts a *_PASS assignment: %s', (_label, text, secret) => expectRedacted(text, secret, 'password_assignment'));

  it('redacts .netrc passwords and docker config auth', () => {
    expectRedacted('machine api.heroku.com\n  login me@x.com\n  password 0a1b2c3d4e5f', '0a1b2c3d4e5f', 'netrc_password');
    const auth = Buffer.from('robot:s3cretpass').toString('base64');
    expectRedacted(JSON.stringify({ auths: { 'ghcr.io': { auth } } }), auth, 'docker_config_auth');
  });

  it.each([
    'postgres://user:password@localhost:5432/db',
    'mysql --password <password> app',
    'mysql --password $DB_PASSWORD app',
    'export API_TOKEN=${API_TOKEN}',
    'password: changeme',
    'SMTP_PASS=xxxxxxxx',
    'redis://:<your-password>@localhost:6379',
    'run the server with -p 8080',
  ])('leaves a documentation placeholder unaltered: %s', (text) => {
    expect(redactor.redactString(text)).toEqual({ value: text, patterns: [] });
  });
});

describe('more forms a probe of our own found (2026-12-05)', () => {
  const pw = 'Fq8jiQz7A1Jd';
  it.each([
    ['an XML element', `<settings><server><password>${pw}</password></server></settings>`, 'xml_secret_element'],
    ['a namespaced XML element', `<db:adminPassword>${pw}</db:adminPassword>`, 'xml_secret_element'],
    ['a Kubernetes env pair', `env:\n  - name: DB_PASSWORD\n    value: "${pw}"`, 'env_pair_secret'],
    ['a compose-style env pair', `- name: STRIPE_SECRET\n  value: ${pw}`, 'env_pair_secret'],
    ['an encryption key', `ENCRYPTION_KEY=${hex(64)}`, 'password_assignment'],
    ['a signing key in camel case', `signingKey: "${alnum(40)}"`, 'password_assignment'],
    ['a Wi-Fi pre-shared key', `network={\n  ssid="office"\n  psk="${pw}"\n}`, 'password_assignment'],
    ['openssl pass:', `openssl pkcs12 -export -passout pass:${pw} -out c.p12`, 'cli_credentials'],
    ['redis-cli -a', `redis-cli -h cache -a ${pw} ping`, 'cli_credentials'],
    ['ldapsearch -w', `ldapsearch -x -D "cn=admin,dc=ex,dc=com" -w ${pw} -b dc=ex,dc=com`, 'cli_credentials'],
    ['zip -P', `zip -P ${pw} secret.zip file`, 'cli_credentials'],
    ['7z -p glued', `7z a -p${pw} backup.7z data/`, 'cli_credentials'],
    ['ssh-keygen -N', `ssh-keygen -t ed25519 -N '${pw}' -f id_ed25519`, 'cli_credentials'],
    ['a session cookie', `Cookie: theme=dark; sessionid=${alnum(32)}`, 'session_cookie'],
    ['a Set-Cookie header', `Set-Cookie: connect.sid=s%3A${alnum(40)}; Path=/; HttpOnly`, 'session_cookie'],
  ])('redacts %s', (_label, text, pattern) => {
    const secret = text.includes(pw) ? pw : text.includes(hex(64)) ? hex(64) : alnum(32);
    expectRedacted(text, secret, pattern);
  });

  it.each([
    '<password>${DB_PASSWORD}</password>',
    '<passwordPolicy>strict</passwordPolicy>',
    '<nextPageToken>CAUQAA</nextPageToken>',
    'env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: {name: db, key: password}',
    '- name: LOG_LEVEL\n  value: debug',
    'ssh-keygen -t ed25519 -N "" -f id_ed25519',
    'redis-cli -a $REDIS_PASSWORD ping',
    'zip -r -P "$ZIP_PASSWORD" out.zip dir',
    'openssl enc -aes-256-cbc -pass env:ENC_PASS -in a -out b',
    'Cookie: theme=dark; lang=en',
    'Set-Cookie: sessionid=; Max-Age=0',
    'the psk and the encryption key are rotated monthly',
  ])('leaves %s alone', (text) => {
    expect(redactor.redactString(text)).toEqual({ value: text, patterns: [] });
  });
});

describe('a generated value under a credential\'s name, for providers no pattern knows (keyed_token)', () => {
  // The second probe (2026-12-05): gitleaks finds these by name and shape; rea missed every one.
  const mixed = alnum(40);
  const lowerHex = hex(40);
  it.each([
    ['an env pair ending in _KEY', `ADAFRUIT_IO_KEY_V2=${mixed}`, mixed],
    ['an env pair ending in _TOKEN', `UPSTASH_REDIS_REST_TOKEN=${mixed}=`, `${mixed}=`],
    ['a token under its provider in YAML', `zendesk:\n  subdomain: acme\n  token: ${mixed}`, mixed],
    ['a camelCase key in JSON', `{"clientSecret": "${mixed}"}`, mixed],
    ['escaped JSON', `{\\"accessKey\\": \\"${mixed}\\"}`, mixed],
    ['a Go short assignment', `sessionToken := "${mixed}"`, mixed],
    ['a Ruby hash', `{ 'api_credentials' => '${mixed}' }`, mixed],
    ['a bearer token with percent-escapes', `TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAA${alnum(30)}%3D${alnum(20)}`, alnum(30)],
    ['a dotted IAM token', `YC_TOKEN=t1.${alnum(60)}.${alnum(40)}`, alnum(60)],
    ['a long lowercase hex key', `SUMO_ACCESS_KEY=${lowerHex}`, lowerHex],
    ['a UUID under a token name', `SESSION_TOKEN=1b2c3d4e-1234-4abc-8def-${hex(12)}`, hex(12)],
  ])('redacts %s', (_label, text, secret) => expectRedacted(text, secret));

  it.each([
    `nextPageToken: "CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA3${alnum(12)}"`,
    `"public_key": "${alnum(44)}"`,
    `STRIPE_PUBLISHABLE_KEY=pk_live_${alnum(24)}`,
    `STRIPE_PUBLIC_KEY=pk_live_${alnum(24)}`,
    `cache_key: ${alnum(32)}`,
    `"key": "${alnum(24)}"`,
    'build_key: v2-build-20261204-linux-x64',
    'lock_key: production-database-primary-2',
    'token_endpoint: https://login.example.com/oauth2/v2.0/token',
    'i18n_key: errors.validation.requiredField2',
    'secret: ServiceAccountTokenSecretName2',
    `MAX_TOKENS=4096`,
    `token: ${'${{ secrets.NPM_TOKEN }}'}`,
  ])('leaves %s alone', (text) => {
    expect(redactor.redactString(text).patterns).not.toContain('keyed_token');
  });
});

describe('more forms of the second probe (2026-12-05)', () => {
  const pw = 'Qx7mPz2LwK';
  it.each([
    ['an ODBC connection string', `Driver={ODBC Driver 18};Server=db;Uid=app;Pwd=${pw}abc;`, `${pw}abc`, 'connection_string_password'],
    ['a JDBC connection string, all letters', `jdbc:sqlserver://db:1433;user=sa;password=QxmPzLwKabc;encrypt=true`, 'QxmPzLwKabc', 'connection_string_password'],
    ['a PuTTY key file', `PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nPublic-Lines: 1\nAAAAB3NzaC1yc2E\nPrivate-Lines: 1\n${alnum(64)}\nPrivate-MAC: ${hex(64)}`, alnum(64), 'private_key'],
    ['bundler credentials', `BUNDLE_ENTERPRISE__CONTRIBSYS__COM=${hex(8)}:${hex(8).toUpperCase()}`, `${hex(8)}:${hex(8).toUpperCase()}`, 'bundler_credentials'],
    ['a Teams webhook', `url: https://contoso.webhook.office.com/webhookb2/${hex(36)}@${hex(36)}/IncomingWebhook/${hex(32)}`, hex(32), 'teams_webhook'],
    ['docker login -u user -p value', `docker login -u ci -p ${pw} registry.example.com`, pw, 'cli_credentials'],
    ['az login -p value', `az login --service-principal -u app-id -p ${pw}~x --tenant t`, `${pw}~x`, 'cli_credentials'],
    ['helm registry login -p value', `helm registry login ghcr.io -u bot -p ${pw}`, pw, 'cli_credentials'],
    ['echo value | docker login --password-stdin', `echo ${pw} | docker login -u ci --password-stdin`, pw, 'cli_credentials'],
    ['sqlcmd -P value', `sqlcmd -S db -U sa -P ${pw} -Q "select 1"`, pw, 'cli_credentials'],
    ['mongosh -p value', `mongosh -u admin -p ${pw} --host db`, pw, 'cli_credentials'],
    ['net use /user: value', `net use Z: \\\\srv\\share /user:CORP\\bob ${pw}`, pw, 'cli_credentials'],
    ['a login call', `smtplib.SMTP_SSL("smtp.example.com").login("bob", "${pw}")`, pw, 'cli_credentials'],
    ["nodemailer's pass", `auth: { user: 'mailer@example.com', pass: '${pw}' }`, pw, 'password_assignment'],
    ['a JSON pass key', `{"user": "svc", "pass": "${pw}"}`, pw, 'password_assignment'],
    ['a .env line, letters only', 'DB_PASSWORD=quietmorningrain', 'quietmorningrain', 'password_assignment'],
    ['an exported .env line with a comment', 'export API_TOKEN=quietmorningrain # prod', 'quietmorningrain', 'password_assignment'],
  ])('redacts %s', (_label, text, secret, pattern) => expectRedacted(text, secret, pattern));

  it.each([
    'Server=db;Database=app;Trusted_Connection=True;',
    'Server=db;User Id=app;Password=${DB_PASSWORD};',
    'See the password; it must be rotated.',
    'Private-Lines: are counted by the parser',
    'BUNDLE_PATH=vendor/bundle',
    'mysql -u root -p mydb',
    'docker run -p 8080:80 -u 1000 nginx',
    'docker login -u ci -p $REGISTRY_PASSWORD registry.example.com',
    'echo $TOKEN | docker login --password-stdin ghcr.io',
    'bypass: "abc123"',
    'compass: "N12W"',
    'PASSWORD=password',
    'DB_PASSWORD=${DB_PASSWORD}',
    'x = DB_PASSWORD=quietmorningrain',
    'client.login(username, password)',
  ])('leaves %s alone', (text) => {
    expect(redactor.redactString(text)).toEqual({ value: text, patterns: [] });
  });
});

describe('isPlaceholder', () => {
  it.each(['password', 'changeme', '<your-key>', '${VAR}', '$DB_PASSWORD', '{{ secret }}', 'xxxx', 'sk_live_xxxxxxxxxxxx', '****', 'example', 'your_api_key_here', '"changeme"'])('treats %s as a placeholder', (v) => {
    expect(isPlaceholder(v)).toBe(true);
  });

  it.each(['hunter2x9', 'Tr0ub4dor&3', 'mysql123', 'S3cr3tPw', GHP, 'passwordless-9'])('treats %s as a value', (v) => {
    expect(isPlaceholder(v)).toBe(false);
  });
});
