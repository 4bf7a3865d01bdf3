// Ingestion under load, loopback only, bounded in time: concurrent ingest streams and
// readers against one `thoughtlens serve` child; every step counted and checksummed.
//
//   npx tsx bench/load/ingest.bench.ts [runs = 8] [agents per run = 2] [readers = 4] [seconds = 20] [hidden = 256] [steps per POST = 64]
import { runIngestLoad } from './ingestLoad.js';

const arg = (i: number, def: number) => {
  const v = Number(process.argv[2 + i] ?? def);
  if (!Number.isInteger(v) || v < 0) {
    console.error('usage: npx tsx bench/load/ingest.bench.ts [runs] [agents per run] [readers] [seconds ≤ 120] [hidden] [steps per POST]');
    process.exit(2);
  }
  return v;
};
const o = { runs: arg(0, 8), agentsPerRun: arg(1, 2), readers: arg(2, 4), seconds: Math.min(arg(3, 20), 120), hiddenSize: arg(4, 256), batchRows: arg(5, 128) };
const r = await runIngestLoad({ ...o, log: (l) => console.error(l) });
const f = (x: number, n = 1) => x.toFixed(n);
console.log(`\n${JSON.stringify(o)}\n`);
console.log('| streams | readers | d | steps/POST | seconds | steps | steps/s | MB/s hidden | append p50 / p99 / max ms | read p50 / p99 ms | server RSS start / peak / end MB | lost | duplicated | checksum ≠ | errors |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|---:|---:|');
console.log(
  `| ${r.streams} | ${o.readers} | ${o.hiddenSize} | ${o.batchRows} | ${f(r.seconds)} | ${r.steps} | ${f(r.stepsPerSec, 0)} | ${f(r.megabytesPerSec)} | ` +
    `${f(r.append.p50)} / ${f(r.append.p99)} / ${f(r.append.max)} | ${f(r.read.p50)} / ${f(r.read.p99)} | ${f(r.rssStartMb, 0)} / ${f(r.rssPeakMb, 0)} / ${f(r.rssEndMb, 0)} | ` +
    `${r.lost} | ${r.duplicated} | ${r.checksumMismatches} | ${r.errors.length} |`,
);
console.log(`\nrequests throttled (429, retried): ${r.throttled}`);
console.log(`server RSS at 25/50/75/100 % of the time: ${r.rssQuartersMb.map((x) => f(x, 0)).join(' / ')} MB`);
for (const e of r.errors.slice(0, 5)) console.error(e);
process.exitCode = r.lost + r.duplicated + r.checksumMismatches + r.manifestMismatches + r.errors.length > 0 ? 1 : 0;
