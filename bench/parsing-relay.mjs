// A relay that reads every message: each line is parsed and serialised again on the way through,
// and nothing else happens. It is the least any gateway that looks inside messages pays, so it sits
// between the bare relay and rea in the benchmark. Usage: node parsing-relay.mjs <command> [args...]
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });

function relayLines(from, to) {
  let pending = '';
  from.setEncoding('utf8');
  from.on('data', (chunk) => {
    pending += chunk;
    let end;
    while ((end = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (line.trim() !== '') to.write(`${JSON.stringify(JSON.parse(line))}\n`);
    }
  });
}

relayLines(process.stdin, child.stdin);
relayLines(child.stdout, process.stdout);
process.stdin.on('end', () => child.stdin.end());
child.on('exit', (code) => process.exit(code ?? 0));
