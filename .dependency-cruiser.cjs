/**
 * Layering of src/, checked by `npm run lint` (ARCHITECTURE.md "Imports point one way"):
 * cli → gateway (serve → surfaces → supervision → transport) → chain → the pure layers
 * (policy, scan, audit, registry, config, observability), and no import cycles anywhere.
 * Type-only imports count: they couple the layers as much as the others do.
 */
const PURE = '^src/(policy|scan|audit|registry|config|observability)/';
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes two files one module in two places; break it with a shared types file.',
      severity: 'error',
      // src/hooks/ is the native channel's own bundle, owned elsewhere (its shell walker recurses).
      from: { path: '^src/', pathNot: '^src/hooks/' },
      to: { circular: true },
    },
    {
      name: 'only-cli-imports-cli',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'chain-below-gateway',
      comment: 'The chain is handed what it needs (pipeline.ts PipelineDeps); it never reaches into the gateway.',
      severity: 'error',
      from: { path: '^src/chain/' },
      to: { path: '^src/gateway/' },
    },
    {
      name: 'pure-layers-below-chain',
      comment: 'Policy, scan, audit, registry, config and observability know nothing of MCP requests.',
      severity: 'error',
      from: { path: PURE, pathNot: '^src/observability/telemetry/' },
      to: { path: '^src/(gateway|chain)/' },
    },
    {
      name: 'telemetry-sees-only-the-seam',
      comment: "Telemetry implements the chain's observer seam: it may see the request context, nothing more.",
      severity: 'error',
      from: { path: '^src/observability/telemetry/' },
      to: { path: '^src/(gateway|chain)/', pathNot: '^src/chain/types\\.ts$' },
    },
    {
      name: 'policy-is-pure',
      comment: 'Decisions take what they decide on as data; config compiles the policy file into it.',
      severity: 'error',
      from: { path: '^src/policy/' },
      to: { path: '^src/(config|scan|audit|registry|observability)/' },
    },
    {
      name: 'observability-below-scan',
      comment: 'Logs are scrubbed with a scrubber handed in (setLogScrubber), not by importing scan/.',
      severity: 'error',
      from: { path: '^src/observability/' },
      to: { path: '^src/scan/' },
    },
    {
      name: 'gateway-transport-is-lowest',
      severity: 'error',
      from: { path: '^src/gateway/transport/' },
      to: { path: '^src/gateway/(supervision|surfaces|serve)/' },
    },
    {
      name: 'gateway-supervision-below-surfaces',
      severity: 'error',
      from: { path: '^src/gateway/supervision/' },
      to: { path: '^src/gateway/(surfaces|serve)/' },
    },
    {
      name: 'gateway-surfaces-below-serve',
      severity: 'error',
      from: { path: '^src/gateway/surfaces/' },
      to: { path: '^src/gateway/serve/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
