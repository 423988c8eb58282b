// Where a governed call's CPU goes inside the gateway: the chain as `rea serve` builds it
// (chain/pipeline.ts, the tool pipeline), in-process, 8 calls in flight, a forward that answers at once.
// Compared in one run, rounds interleaved: execute alone (the floor), every stage but audit, and
// every stage with the relaxed and the durable audit log, and the durable chain with telemetry on
// (spans with an in-memory exporter, OTel and Prometheus metrics; issue 13). CPU time per call
// (process.cpuUsage, so the audit's thread-pool work is counted too), medians of the rounds.
import { fmt, median } from './stats.mjs';
import { IN_FLIGHT, toolPipeline } from './tool-pipeline.mjs';
import { InMemorySpanExporter, BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { InMemoryMetricExporter, AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { Registry } from 'prom-client';
import { requestTelemetry } from '../dist/observability/telemetry/request-telemetry.js';
import { followParent } from '../dist/observability/telemetry/sampler.js';
import { PooledIdGenerator } from '../dist/observability/telemetry/id-generator.js';
import { auditMetrics } from '../dist/observability/metrics/record-metrics.js';
import { durationProducer, otelBackend } from '../dist/observability/metrics/otel-metrics.js';
import { prometheusBackend } from '../dist/observability/metrics/prometheus.js';
import { metricsSink, metricTallies } from '../dist/observability/metrics/sink.js';

const CALLS = Number(process.env.BENCH_CHAIN_CALLS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/**
 * Telemetry as `rea serve` starts it, exporting to memory. The exporter keeps nothing once it has
 * taken a batch, as the OTLP exporter does: it serialises the batch at once and only the batch
 * processor's callback holds the spans until the send completes (here, one timer tick later).
 * Holding each batch until the next export instead kept ~500 more spans alive through every
 * scavenge, and measured the garbage collector copying them (about 4 µs per durable call).
 */
function inMemoryTelemetry({ metrics = true } = {}) {
  const spans = new InMemorySpanExporter();
  const take = spans.export.bind(spans);
  spans.export = (batch, done) => {
    take(batch, done);
    spans.reset();
  };
  const tracer = new TracerProvider({ sampler: followParent, idGenerator: new PooledIdGenerator(), spanProcessors: [new BatchSpanProcessor({ exporter: spans, scheduledDelayMillis: 1000 })] }).getTracer('bench');
  const tallies = metricTallies();
  const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 60_000, metricProducers: [durationProducer(tallies.durations)] });
  const meter = new MeterProvider({ readers: [reader] }).getMeter('bench');
  const sink = metrics ? metricsSink(tallies, [otelBackend(meter, tallies), prometheusBackend(new Registry(), tallies)]) : undefined;
  return { requests: requestTelemetry(tracer, sink), audit: sink === undefined ? undefined : auditMetrics(sink), reset: () => spans.reset() };
}

/** One chain variant over its own project (tool-pipeline.mjs), measured in CPU µs per call. */
async function variant(name, options) {
  const pipeline = await toolPipeline(options);
  const measure = async (n) => {
    const c0 = process.cpuUsage();
    await pipeline.calls(n);
    const c = process.cpuUsage(c0);
    options.telemetry?.reset();
    return (c.user + c.system) / n;
  };
  return { name, measure, close: pipeline.close };
}

const variants = [
  await variant('execute only', { withAudit: false, only: true }),
  await variant('chain, no audit', { withAudit: false }),
  await variant('chain, relaxed audit', { withAudit: true }),
  await variant('chain, durable audit', { withAudit: true, durability: 'durable' }),
  await variant('relaxed + spans only', { withAudit: true, telemetry: inMemoryTelemetry({ metrics: false }) }),
  await variant('relaxed + telemetry', { withAudit: true, telemetry: inMemoryTelemetry() }),
  await variant('durable + telemetry', { withAudit: true, durability: 'durable', telemetry: inMemoryTelemetry() }),
];
const samples = new Map(variants.map((v) => [v.name, []]));
try {
  for (const v of variants) await v.measure(CALLS / 2); // warm-up: let V8 optimise every path
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const v of variants) samples.get(v.name).push(await v.measure(CALLS));
  }
} finally {
  for (const v of variants) await v.close();
}
const floor = median(samples.get('execute only'));
console.log(`\n## Chain in-process (${ROUNDS} rounds × ${CALLS} calls, ${IN_FLIGHT} in flight; CPU µs per call, medians)`);
console.log('variant                  cpu µs/call   added over execute only');
for (const [name, values] of samples) {
  const m = median(values);
  console.log(`${name.padEnd(24)}${fmt(m, 1).padStart(11)}   ${fmt(m - floor, 1).padStart(23)}`);
}
/** What telemetry adds, paired round by round (on and off measured in the same round): median (range). */
const added = (on, off) => {
  const diffs = samples.get(on).map((v, i) => v - samples.get(off)[i]).sort((a, b) => a - b);
  return `${fmt(median(diffs), 1)} µs (${fmt(diffs[0], 1)} to ${fmt(diffs.at(-1), 1)})`;
};
console.log(`telemetry on (spans, OTel and Prometheus metrics) adds ${added('relaxed + telemetry', 'chain, relaxed audit')} of CPU per call with relaxed audit (spans alone ${added('relaxed + spans only', 'chain, relaxed audit')}), ${added('durable + telemetry', 'chain, durable audit')} with durable audit (target: at most 15 µs)`);
