// `detect <network-run>`: per-edge conflict detection (conflicts/detectEdges.ts) instead of the
// two-agent detector. Views: the neighbour-pair dictionary trained on the run's pairs (train's
// default for network runs), a crosscoder over all nodes (--sae naming one), or raw node states
// (--views cca, or when no dictionary was trained); the raw-state baseline is scored on the same
// episodes beside any dictionary. Writes edges.json and report.md to the report folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { detectEdges, edgeDictionary, findNetworkDictionary, type DetectEdgesResult } from '../conflicts/index.js';
import { openRun, UsageError } from '../data/index.js';
import { selectBackend, type BackendName } from '../sae/index.js';
import { optionalNumber } from './argParsers.js';
import { emit, type CliContext } from './context.js';

export interface DetectNetworkFlags {
  sae?: string;
  views?: string;
  out?: string;
  name?: string;
  far?: string;
  rearm?: string;
  seed?: string;
  backend?: string;
  baselines?: boolean;
}

const shareText = (r: DetectEdgesResult, none: string) => {
  const i = r.summary.shareBeforeAct;
  return i ? `${i.estimate.toFixed(2)} [${i.lo.toFixed(2)}, ${i.hi.toFixed(2)}]` : none;
};

function line(name: string, r: DetectEdgesResult): string {
  const s = r.summary;
  const share = shareText(r, 'n/a');
  return `${name}: flagged before a neighbour acts ${s.flaggedBeforeAct}/${s.acted} (${share}) · median lead ${s.medianLead ?? 'n/a'} rounds · flagged at all ${s.flagged}/${s.faults} faults · false alarms/1000 edge-steps ${s.falseAlarmsPer1000.toFixed(2)}`;
}

const plain = (r: DetectEdgesResult) => ({ ...r, summary: { ...r.summary, leads: undefined }, scores: undefined });

export async function detectNetwork(ctx: CliContext, runDir: string, f: DetectNetworkFlags): Promise<void> {
  const runId = openRun(runDir).manifest.id;
  if (f.views !== undefined && f.views !== 'cca' && f.views !== 'dictionary') throw new UsageError(`a network run is compared per edge on dictionary or cca (raw node states) views; --views ${f.views} is for two-agent runs`);
  const sae = f.views === 'cca' ? null : (f.sae ?? findNetworkDictionary(ctx.workspace, runDir));
  if (f.views === 'dictionary' && !sae) throw new UsageError(`no dictionary in ${join(ctx.workspace, 'checkpoints')} was trained on this run or its neighbour pairs: run \`thoughtlens train ${runId}\` first, or give --sae`);
  const far = optionalNumber(f.far, '--far');
  const rearm = optionalNumber(f.rearm, '--rearm');
  const seed = optionalNumber(f.seed, '--seed');
  const common = { runDir, ...(far !== undefined ? { far } : {}), ...(rearm !== undefined ? { rearm } : {}), ...(seed !== undefined ? { seed } : {}) };
  const notes: string[] = [];
  let main: DetectEdgesResult;
  let kind: string;
  if (sae) {
    await selectBackend((f.backend ?? 'auto') as BackendName | 'auto');
    if (!f.sae && !ctx.quiet && !ctx.json) ctx.stderr.write(`detect: using the dictionary trained on this run, ${sae} (--sae to choose another)\n`);
    const dict = edgeDictionary(sae);
    kind = dict.kind;
    main = detectEdges({ ...common, ...dict });
  } else {
    kind = 'raw';
    if (f.views !== 'cca') notes.push(`no dictionary was trained on this run: raw node states compared (\`thoughtlens train ${runId}\` trains a neighbour-pair dictionary)`);
    main = detectEdges(common);
  }
  const baseline = sae && f.baselines !== false ? detectEdges(common) : null;
  const name = f.name ?? (sae ? basename(resolve(sae)) : 'raw-edges');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name)) throw new UsageError(`--name '${name}' must be a plain file name`);
  const outDir = resolve(f.out ?? join(runDir, 'reports', name));
  mkdirSync(outDir, { recursive: true });
  const report = { run: runId, checkpoint: sae, views: kind, detection: plain(main), baseline: baseline && plain(baseline), notes };
  const files = [join(outDir, 'edges.json'), join(outDir, 'report.md')];
  writeFileSync(files[0]!, JSON.stringify(report, null, 1));
  const md = [
    `# Per-edge conflicts: run ${report.run}`,
    '',
    `Views: ${kind}${sae ? ` (${sae})` : ''}; threshold ${main.threshold.toFixed(3)} for ${main.calibration.targetRate} false alarms per edge-step on clean calibration episodes; ${main.edges.length} edges (${main.unscoredEdges} unscored).`,
    `Episodes: ${main.episodes.fit.length} clean fit, ${main.episodes.calibration.length} calibration, ${main.episodes.test.length} test (false alarms), ${main.episodes.faulty.length} with a fault.`,
    'A fault counts as flagged before a neighbour acts when an edge of the faulty node is flagged from the fault\'s start to before the first step a neighbour\'s belief differs from the clean run (docs/NETWORKS.md).',
    '',
    '| views | flagged before a neighbour acts | share [95% CI] | median lead (rounds) | flagged at all | false alarms / 1000 edge-steps |',
    '|---|---|---|---|---|---|',
    ...[[kind, main] as const, ...(baseline ? [['raw (baseline)', baseline] as const] : [])].map(([n, r]) => {
      const s = r.summary;
      return `| ${n} | ${s.flaggedBeforeAct} / ${s.acted} | ${shareText(r, '–')} | ${s.medianLead ?? '–'} | ${s.flagged} / ${s.faults} | ${s.falseAlarmsPer1000.toFixed(2)} |`;
    }),
    ...(notes.length ? ['', ...notes.map((x) => `Note: ${x}`)] : []),
    '',
  ].join('\n');
  writeFileSync(files[1]!, md);
  emit(ctx, { outDir, files, ...report }, () =>
    [
      `scored ${main.episodes.faulty.length + main.episodes.test.length} episodes of network run ${report.run} per edge (${main.edges.length} edges) with ${kind} views, threshold ${main.threshold.toFixed(3)}`,
      line(kind, main),
      ...(baseline ? ['  baseline ' + line('raw node states', baseline)] : []),
      ...notes.map((x) => `note: ${x}`),
      `wrote ${files.map((x) => basename(x)).join(', ')} to ${outDir}`,
    ].join('\n'),
  );
}
