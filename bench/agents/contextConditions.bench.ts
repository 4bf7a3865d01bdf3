// The context-condition experiments (issue 20) from their checked-in specs: burstiness and
// peer memory, each conditions × seeds, resumable, reports under --out/<spec name>/.
//   npx tsx bench/agents/contextConditions.bench.ts --specs examples/experiments/burstiness.json,examples/experiments/peer-memory.json --out artifacts/experiments
// --seeds 1,2,3 overrides the specs' seeds (fewer for a quick look).
import { join, resolve } from 'node:path';
import { buildExperimentReport, loadExperimentSpec, runExperiment, writeExperimentReport } from '../../experiments/index.js';
import { benchArgs } from './benchArgs.js';

const args = benchArgs();
const out = resolve(args.out ?? 'artifacts/experiments');
const specs = (args.specs ?? 'examples/experiments/burstiness.json,examples/experiments/peer-memory.json').split(',');
for (const file of specs) {
  const base = loadExperimentSpec(file);
  const spec = args.seeds ? { ...base, seeds: args.seeds.split(',').map(Number) } : base;
  const dir = join(out, spec.name);
  const run = runExperiment(spec, dir, (p) => console.error(`${spec.name} ${p.phase} ${p.done}/${p.total} ${p.label}${p.resumed ? ' (resumed)' : ''}`));
  const report = buildExperimentReport(spec, run.cells, { seconds: run.seconds, command: `npx tsx bench/agents/contextConditions.bench.ts --specs ${file}${args.seeds ? ` --seeds ${args.seeds}` : ''}` });
  writeExperimentReport(dir, report);
  for (const c of report.conditions) {
    console.log(`${spec.name} ${c.condition}: fraction ${c.metrics.fraction.estimate.toFixed(3)} best ${c.metrics.bestRate.estimate.toFixed(3)} defect ${c.metrics.defection.estimate.toFixed(3)} firstD ${c.metrics.firstDefection.estimate.toFixed(1)} adapt ${c.adaptRounds.join('/')}`);
  }
  console.log(`${spec.name}: ${run.seconds.toFixed(0)} s, report in ${dir}`);
}
