import type { ShNode } from 'mvdan-sh';
import type { Syntax } from './load-parser.js';

/**
 * mvdan-sh numbers its operators; learn the numbering from the parser itself rather than hard-code
 * it, once per process, in one parse of one statement per operator (each parse of a cold parser
 * costs a millisecond).
 */
const SAMPLES = ['>', '>>', '<', '<>', '>|', '&>', '&>>', '<<<', '>&', '<&', '&&', '||', '|', '|&'];
let known: Map<number, string> | undefined;

export function learnOperators(syntax: Syntax, parse: (text: string) => ShNode): void {
  if (known !== undefined) return;
  const source = [...SAMPLES.map((op) => `a ${op} b`), 'a << E\nE', 'a <<- E\nE'].join('\n');
  const names = [...SAMPLES, '<<', '<<-'];
  const ops = new Map<number, string>();
  // Field reads, not syntax.Walk: every node Walk hands to JavaScript is converted, ~10 ms in all.
  ((parse(source)['Stmts'] as ShNode[]) ?? []).forEach((stmt, index) => {
    const redirect = (stmt['Redirs'] as ShNode[] | undefined)?.[0];
    const cmd = stmt['Cmd'] as ShNode | null;
    const node = redirect ?? (cmd !== null && syntax.NodeType(cmd) === 'BinaryCmd' ? cmd : undefined);
    if (node !== undefined) ops.set(node['Op'] as number, names[index]!);
  });
  known = ops;
}

/** `>`, `|`, `&&`… for a node's `Op`; `?` before learnOperators ran or for one it did not meet. */
export function operatorName(op: number): string {
  return known?.get(op) ?? '?';
}
