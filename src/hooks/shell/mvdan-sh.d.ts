// The slice of mvdan-sh's (GopherJS) API rea uses. Nodes are Go structs seen as JS objects.
declare module 'mvdan-sh' {
  export interface ShNode {
    readonly [field: string]: unknown;
  }
  export interface ShParser {
    Parse(src: string, name: string): ShNode;
  }
  export const syntax: {
    NewParser(...options: unknown[]): ShParser;
    NodeType(node: ShNode): string;
    Walk(node: ShNode, visit: (node: ShNode | null) => boolean): void;
  };
}
