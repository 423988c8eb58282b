// The floor of a gateway that keeps a durable record of every call: a bare relay that, before it
// passes an answer back, appends a record of it (about the size of rea's audit record) to a log
// opened O_DSYNC, as rea's durable audit does, and nothing else. Group commit as rea does it: one
// write in flight, and the answers that arrived meanwhile share the next one. With
// DURABLE_RELAY_OVERLAP=1 every read's answers are written at once, syncs overlapping (a design
// that orders nothing). Usage: node durable-relay.mjs <log file> <command> [args...]
import { spawn } from 'node:child_process';
import { constants, openSync, write } from 'node:fs';

const [logPath, command, ...args] = process.argv.slice(2);
const overlap = process.env.DURABLE_RELAY_OVERLAP === '1';
const fd = openSync(logPath, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC, 0o600);
// rea's records are ~600 bytes: the answer itself plus what a record carries besides.
const PAD = 'r'.repeat(480);
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
process.stdin.pipe(child.stdin);
process.stdin.on('end', () => child.stdin.end());
child.on('exit', (code) => process.exit(code ?? 0));

let partial = '';
let waiting = [];
let writing = false;

child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  const text = partial + chunk;
  const end = text.lastIndexOf('\n') + 1;
  partial = text.slice(end);
  if (end === 0) return;
  waiting.push(text.slice(0, end));
  if (overlap || !writing) flush();
});

function flush() {
  const answers = waiting.join('');
  waiting = [];
  writing = true;
  const records = answers
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => `${JSON.stringify({ timestamp: new Date().toISOString(), answer: line, pad: PAD })}\n`)
    .join('');
  const buf = Buffer.from(records);
  write(fd, buf, 0, buf.length, null, (error) => {
    if (error) throw error;
    process.stdout.write(answers);
    writing = false;
    if (!overlap && waiting.length > 0) flush();
  });
}
