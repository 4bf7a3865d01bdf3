// Long fuzz run over every input parser (test/fuzz/targets.ts): seeded mutations of valid
// inputs, counted as accepted, rejected with a ThoughtlensError (or 4xx JSON over HTTP),
// crashed or hung. Prints a Markdown table.
//
//   npx tsx bench/fuzz/parsers.bench.ts [cases per parser = 10000] [seed = 1] [name filter]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeRng } from '../../util/random.js';
import { TARGETS, runTarget, type TargetStats } from '../../test/fuzz/targets.js';

const cases = Number(process.argv[2] ?? 10_000);
const seed = Number(process.argv[3] ?? 1);
const filter = process.argv[4] ?? '';
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed)) {
  console.error('usage: npx tsx bench/fuzz/parsers.bench.ts [cases ≥ 1] [seed] [name filter]');
  process.exit(2);
}

const rows: TargetStats[] = [];
const started = performance.now();
for (const t of TARGETS.filter((x) => x.name.toLowerCase().includes(filter.toLowerCase()))) {
  const root = mkdtempSync(join(tmpdir(), 'tl-fuzz-'));
  const t0 = performance.now();
  try {
    const s = await runTarget(t, root, { seed, cases, hangMs: 5000, onCase: process.env.TL_FUZZ_TRACE ? (i) => console.error(`case ${i}`) : undefined }, makeRng);
    rows.push(s);
    console.error(`${t.name}: ${s.cases} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${s.crashes.length} crashes, ${s.hangs} hangs`);
    for (const c of s.crashes.slice(0, 3)) console.error(`  case ${c.case}: ${c.error.split('\n').slice(0, 4).join(' | ')}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

console.log(`\nseed ${seed}, ${cases} cases per parser, ${((performance.now() - started) / 1000).toFixed(0)} s in all\n`);
console.log('| parser | cases | accepted | rejected | crashes | hangs | slowest case ms | error codes seen |');
console.log('|---|---:|---:|---:|---:|---:|---:|---|');
for (const s of rows) {
  console.log(`| ${s.name} | ${s.cases} | ${s.accepted} | ${s.rejected} | ${s.crashes.length} | ${s.hangs} | ${s.slowestMs.toFixed(1)} | ${Object.keys(s.codes).sort().join(', ')} |`);
}
const bad = rows.reduce((n, s) => n + s.crashes.length + s.hangs, 0);
process.exitCode = bad > 0 ? 1 : 0;
