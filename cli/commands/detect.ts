// `thoughtlens detect <run>`: flags representational alignment conflicts and writes a
// report (report.json, flags.csv, report.md, report.html). Offline by default; --follow
// keeps scoring a run that is still being recorded and appends flags as steps arrive.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { resolveRunRef, UsageError } from '../../data/index.js';
import { checkpointsForRun, resolveCheckpointRef, selectBackend, type BackendName } from '../../sae/index.js';
import { optionalNumber } from '../argParsers.js';
import { detectNetwork } from '../detectNetwork.js';
import { isNetworkRun } from '../networkPairRun.js';
import {
  behaviourOnly,
  buildReport,
  ccaViews,
  detectRun,
  dictionaryCoder,
  dictionaryViews,
  type DictionaryViewLatents,
  fitDetector,
  fitEvents,
  flagCsvRow,
  flagsCsvHeader,
  followRun,
  loadDetector,
  loadEpisodes,
  nowMs,
  nullCheckLine,
  parseFormats,
  saveDetector,
  SCORE_MODES,
  writeReport,
  type Detector,
  type DetectorConfig,
  type Flag,
  type ScoredEpisode,
  type ScoreMode,
  type ViewSource,
} from '../../conflicts/index.js';
import { quantile } from '../../util/quantile.js';
import { openRun } from '../../data/index.js';
import { emit, type CliContext } from '../context.js';
import type { CommandModule } from '../program.js';

interface DetectFlags {
  sae?: string;
  views?: string;
  detector?: string;
  reference?: string;
  trainFraction?: string;
  out?: string;
  name?: string;
  format: string;
  far?: string;
  horizon?: string;
  lambda?: string;
  rearm?: string;
  statistic?: string;
  levelBins?: string;
  mode?: string;
  event?: string;
  eventColumn?: string;
  seed?: string;
  resamples?: string;
  backend?: string;
  follow?: boolean;
  randomFeatures?: string;
  pollMs?: string;
  baselines?: boolean;
  truth?: boolean;
}

const VIEW_KINDS = ['dictionary', 'dictionary-shared', 'dictionary-all', 'cca', 'behaviour'] as const;
/** The dictionary's view kinds and the latents each compares (conflicts/fit/fitDetector.ts). */
const DICTIONARY_KINDS: Record<string, DictionaryViewLatents> = { dictionary: 'read-alike', 'dictionary-shared': 'shared', 'dictionary-all': 'all' };

export const detectCommand: CommandModule = {
  register(program, action) {
    program
      .command('detect')
      .argument('<run>', 'run id in the workspace, or path to a run folder')
      .option('--sae <ckpt>', 'paired-dictionary checkpoint (folder, or name in <workspace>/checkpoints/): compare the agents on its latents they both read (--views); default: the one dictionary in <workspace>/checkpoints/ trained on this run')
      .option('--views <kind>', `what the agents are compared on: ${VIEW_KINDS.join(' | ')} (default: dictionary with --sae = the dictionary's latents both agents' states read alike, whatever their split class; dictionary-shared = only those the split calls shared; dictionary-all = every live latent; cca = raw states, no dictionary)`)
      .option('--detector <file>', 'use a stored detector (detector.json from an earlier detect) instead of fitting one')
      .option('--reference <run>', 'fit the detector on this run (all episodes) and score every episode of <run>')
      .option('--train-fraction <f>', 'without --reference: the first fraction of <run>\'s episodes is reference data, the rest is scored (default 0.5)')
      .option('-o, --out <dir>', 'report folder (default <run>/reports/<name>/)')
      .option('--name <name>', 'report name for the default folder (default: the checkpoint folder name or the view kind)')
      .option('--format <list>', 'report formats, comma-separated: json,csv,md,html', 'json,csv,md,html')
      .option('--far <rate>', 'target false alarms per step, calibrated on reference data (default 0.001 = 1 per 1000 steps; network runs: per edge-step, default 0.01)')
      .option('--horizon <H>', 'steps ahead in which a behavioural conflict counts as flagged in time (default: read off the reference data, the farthest lag at which the disagreement still separates from null steps, up to where that curve turns up again)')
      .option('--lambda <λ>', 'EWMA weight of the newest step in the causal smoothing (default 0.3)')
      .option('--rearm <n>', 'steps below threshold before a new flag can be raised (default 10)')
      .option('--statistic <kind>', 'disagreement statistic per agent pair: sparse (largest matched-filter response over single shared latents and same-sign pairs) | mewma (multivariate EWMA over all shared latents) (default sparse)')
      .option('--level-bins <n>', 'normalise each latent\'s disagreement by its reference spread in n bins of the lower reading (default 5; 1 = one spread per latent)')
      .option('--mode <score>', `${SCORE_MODES.filter((m) => m !== 'behaviour').join(' | ')}: disagreement of the shared views, precursor latents, or both (default combined)`)
      .option('--event <rule>', "behavioural conflict as a rule over behaviour columns, e.g. 'actions differ', 'any defected', 'A.action != 1' (joined with 'or')")
      .option('--event-column <name>', 'behavioural conflict = this bool column is true for any agent (default: the run\'s event columns)')
      .option('--seed <n>', 'seed of the fit/calibration split and the bootstrap (default 0)')
      .option('--resamples <n>', 'bootstrap resamples for the intervals (default 1000)')
      .option('--backend <name>', 'tensor backend for the dictionary encoder (default auto)')
      .option('--random-features <n>', 'random tanh features per agent added before the linear view maps (default 256; 0 = linear views of the raw states)')
      .option('--follow', 'keep scoring while the run is recorded; append flags to flags.csv / flags.jsonl as steps arrive (needs --detector or --reference)')
      .option('--poll-ms <ms>', 'with --follow: how often to look for new batches (default 10)')
      .option('--no-baselines', 'skip the baselines (raw-state CCA and behaviour-only, fitted and scored on the same episodes) in the report')
      .option('--no-truth', 'ignore the run\'s truth/ files (true onsets, drifting thoughts) when evaluating')
      .description(
        'flag representational alignment conflicts: steps where the agents\' own readings of their shared latents disagree beyond ' +
          'what reference data shows, or where known precursor latents become active; calibrated to a false-alarm rate, strictly causal, ' +
          'each flag with the latents that drive it. Writes report.json, flags.csv, report.md and a standalone report.html, and ' +
          'evaluates lead time against the run\'s behavioural events on held-out episodes. Network runs (record network) are scored ' +
          'per edge instead: each node\'s reading of the neighbour-pair dictionary (train\'s default for them) against its neighbour\'s, ' +
          'flagged before a neighbour acts on a fault, raw node states as the baseline; writes edges.json and report.md.',
      )
      .action(action(async (ctx, ref: string, flags: DetectFlags) => detect(ctx, ref, flags)));
  },
};

async function detect(ctx: CliContext, ref: string, f: DetectFlags): Promise<void> {
  const runDir = resolveRunRef(ctx.workspace, ref);
  // --sae takes a checkpoint folder or a name in the workspace, as runs do (exit 3 when neither).
  if (f.sae) f.sae = resolveCheckpointRef(ctx.workspace, f.sae);
  if (isNetworkRun(runDir)) {
    const twoAgentOnly = (['detector', 'reference', 'follow', 'horizon', 'event', 'eventColumn', 'mode', 'statistic'] as const).filter((k) => f[k] !== undefined);
    if (twoAgentOnly.length) throw new UsageError(`--${twoAgentOnly[0]!.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} is for two-agent runs; a network run is scored per edge (docs/NETWORKS.md)`);
    return detectNetwork(ctx, runDir, f);
  }
  if (!f.views && !f.detector) {
    // No flags: the dictionary of the workspace trained on this run, when there is exactly one.
    const found = checkpointsForRun(ctx.workspace, runDir);
    if (found.length > 1) throw new UsageError(`${found.length} dictionaries in ${join(ctx.workspace, 'checkpoints')} were trained on this run (${found.map((d) => basename(d)).join(', ')}): choose one with --sae`);
    if (found.length === 1) {
      f.sae = found[0]!;
      if (!ctx.quiet && !ctx.json) ctx.stderr.write(`detect: using the dictionary trained on this run, ${f.sae} (--sae to choose another)\n`);
    }
  }
  const formats = parseFormats(f.format);
  const mode = f.mode as ScoreMode | undefined;
  if (mode !== undefined && !SCORE_MODES.includes(mode)) throw new UsageError(`--mode must be one of ${SCORE_MODES.join(', ')}, got '${mode}'`);
  const config: DetectorConfig = {
    ...(f.far !== undefined ? { far: optionalNumber(f.far, '--far')! } : {}),
    ...(f.horizon !== undefined ? { horizon: optionalNumber(f.horizon, '--horizon')! } : {}),
    ...(f.lambda !== undefined ? { lambda: optionalNumber(f.lambda, '--lambda')! } : {}),
    ...(f.rearm !== undefined ? { rearm: optionalNumber(f.rearm, '--rearm')! } : {}),
    ...(f.seed !== undefined ? { seed: optionalNumber(f.seed, '--seed')! } : {}),
    ...(f.statistic !== undefined ? { statistic: f.statistic as DetectorConfig['statistic'] } : {}),
    ...(f.levelBins !== undefined ? { levelBins: optionalNumber(f.levelBins, '--level-bins')! } : {}),
    ...(mode ? { mode } : {}),
  };
  const events = { ...(f.event ? { rule: f.event } : {}), ...(f.eventColumn ? { column: f.eventColumn } : {}) };
  let detector: Detector | undefined;
  let views: ViewSource | undefined;
  if (f.detector) {
    detector = loadDetector(resolve(f.detector));
  } else {
    views = await viewSource(f);
  }
  const name = f.name ?? (f.sae ? basename(resolve(f.sae)) : f.detector ? basename(resolve(f.detector), '.json') : (views?.name ?? 'conflicts'));
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name)) throw new UsageError(`--name '${name}' must be a plain file name`);
  const outDir = resolve(f.out ?? join(runDir, 'reports', name));
  const resamples = optionalNumber(f.resamples, '--resamples');
  const seed = optionalNumber(f.seed, '--seed');

  if (f.follow) {
    if (!detector) {
      if (!f.reference) throw new UsageError('--follow needs a detector fitted beforehand: give --detector <file> or --reference <run>');
      const refRun = openRun(resolveRunRef(ctx.workspace, f.reference));
      const reference = loadEpisodes(refRun);
      const fe = fitEvents(reference, events);
      detector = fitDetector(reference, { events: fe.events, eventsNote: fe.note, views: views!, config, run: refRun.manifest.id });
    }
    await follow(ctx, runDir, outDir, detector, formats, { pollMs: optionalNumber(f.pollMs, '--poll-ms') ?? 10, resamples, seed, detectorFile: f.detector ?? null });
    return;
  }

  const started = Date.now();
  const res = detectRun({
    runDir,
    ...(detector ? { detector, detectorFile: resolve(f.detector!) } : {}),
    ...(f.reference ? { referenceDir: resolveRunRef(ctx.workspace, f.reference) } : {}),
    ...(f.trainFraction !== undefined ? { trainFraction: optionalNumber(f.trainFraction, '--train-fraction')! } : {}),
    ...(views ? { views } : {}),
    config,
    events,
    ...(f.baselines !== false && views ? { baselines: [ccaViews(8), behaviourOnly].filter((b) => b.name !== views!.name) } : {}),
    ...(f.truth === false ? { truth: false } : {}),
    ...(resamples !== undefined ? { resamples } : {}),
    ...(seed !== undefined ? { seed } : {}),
    onProgress: (s) => {
      if (ctx.quiet || ctx.json) return;
      // On a terminal one line rewritten in place; in a log one line per stage with the time so far.
      if (ctx.stderr.isTTY) ctx.stderr.write(`\r\x1b[2Kdetect: ${s}…`);
      else ctx.stderr.write(`detect: ${s} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    },
  });
  if (!ctx.quiet && !ctx.json && ctx.stderr.isTTY) ctx.stderr.write('\r\x1b[2K');
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  if (res.fitted) {
    const file = join(outDir, 'detector.json');
    saveDetector(file, res.detector);
    res.report.detector.file = file;
    files.push(file);
  }
  files.push(...writeReport(outDir, res.report, formats));
  summarise(ctx, res.report, outDir, files);
}

async function viewSource(f: DetectFlags): Promise<ViewSource> {
  const kind = f.views ?? (f.sae ? 'dictionary' : undefined);
  if (kind === undefined) throw new UsageError('no dictionary in <workspace>/checkpoints was trained on this run: give --sae <ckpt> (compare agents on the dictionary\'s latents they both read), --views cca (raw states), or --detector <file>');
  if (!(VIEW_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--views must be one of ${VIEW_KINDS.join(', ')}, got '${kind}'`);
  const rf = optionalNumber(f.randomFeatures, '--random-features');
  const vo = rf === undefined ? {} : { randomFeatures: rf };
  if (kind === 'cca') return ccaViews(8, vo);
  if (kind === 'behaviour') return behaviourOnly;
  if (!f.sae) throw new UsageError(`--views ${kind} needs --sae <ckpt>`);
  await selectBackend((f.backend ?? 'auto') as BackendName | 'auto');
  return dictionaryViews(dictionaryCoder(resolve(f.sae)), DICTIONARY_KINDS[kind]!, vo);
}

function summarise(ctx: CliContext, r: ReturnType<typeof buildReport>, outDir: string, files: string[]): void {
  const e = r.evaluation;
  emit(ctx, { outDir, files, flags: r.flags.length, events: r.events.count, scored: r.scored, detector: { views: r.detector.views, mode: r.detector.mode, threshold: r.detector.threshold }, evaluation: e && { ...e, leads: undefined, curve: undefined }, precursor: r.precursor, baselines: (r.baselines ?? []).map((b) => ({ views: b.views, evaluation: b.evaluation && { ...b.evaluation, leads: undefined, curve: undefined } })), live: r.live ?? null }, () => {
    const lines = [
      `scored ${r.scored.episodes} episodes (${r.scored.steps} steps) of run ${r.run.id} with ${r.detector.views} views, ${r.detector.mode} score, threshold ${r.detector.threshold ?? '∞'}`,
      `${r.flags.length} flags, ${r.events.count} behavioural conflicts (${r.events.definition})`,
    ];
    const ci = (i: { estimate: number; lo: number; hi: number }, d = 3) => `${i.estimate.toFixed(d)} [${i.lo.toFixed(d)}, ${i.hi.toFixed(d)}]`;
    if (!e && r.nullCheck) lines.push(nullCheckLine(r.nullCheck));
    if (e) {
      lines.push(
        `flagged ${e.truth ? 'after onset and ' : ''}before the divergence: ${e.flaggedBefore}/${e.conflicts} · median lead ${Number.isFinite(e.medianLead) ? e.medianLead : 'n/a'} steps · ` +
          `false alarms/1000 steps ${e.falseAlarmsPer1000.toFixed(2)} · AUROC ${ci(e.ci.auroc)}` +
          (e.attribution?.latents ? ` · attribution ${ci(e.attribution.latents, 2)}` : ''),
      );
    }
    for (const b of r.baselines ?? []) {
      const be = b.evaluation;
      if (be) lines.push(`  baseline ${b.views}: flagged ${be.flaggedBefore}/${be.conflicts} · false alarms/1000 ${be.falseAlarmsPer1000.toFixed(2)} · AUROC ${ci(be.ci.auroc)}`);
    }
    if (r.precursor && !r.precursor.found) lines.push(r.precursor.statement);
    if (r.live) lines.push(`live: ${r.live.batches} batches, latency disk → flags written median ${r.live.latencyMs.median.toFixed(1)} ms, p99 ${r.live.latencyMs.p99.toFixed(1)} ms`);
    lines.push(`wrote ${files.map((x) => basename(x)).join(', ')} to ${outDir}`);
    return lines.join('\n');
  });
}

interface FollowOpts {
  pollMs: number;
  resamples: number | undefined;
  seed: number | undefined;
  detectorFile: string | null;
}

async function follow(ctx: CliContext, runDir: string, outDir: string, detector: Detector, formats: ReturnType<typeof parseFormats>, o: FollowOpts): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const csv = join(outDir, 'flags.csv');
  const jsonl = join(outDir, 'flags.jsonl');
  writeFileSync(csv, flagsCsvHeader());
  writeFileSync(jsonl, '');
  if (!o.detectorFile) saveDetector(join(outDir, 'detector.json'), detector);
  const ctrl = new AbortController();
  const onSig = () => ctrl.abort();
  process.once('SIGINT', onSig);
  const eps = new Map<number, { step: number[]; score: number[]; active: number[]; onsets: number[]; flags: number[] }>();
  const allFlags: Flag[] = [];
  const latencies: number[] = [];
  try {
    await followRun(detector, runDir, {
      pollMs: o.pollMs,
      signal: ctrl.signal,
      onBatch: ({ scored, landedAt }) => {
        for (let r = 0; r < scored.length; r++) {
          const e = scored.episode[r]!;
          let x = eps.get(e);
          if (!x) eps.set(e, (x = { step: [], score: [], active: [], onsets: [], flags: [] }));
          if (scored.onset[r]) x.onsets.push(x.step.length);
          if (scored.flagRows.includes(r)) x.flags.push(x.step.length);
          x.step.push(scored.step[r]!);
          x.score.push(scored.score[r]!);
          x.active.push(scored.active[r]!);
        }
        if (scored.flags.length) {
          appendFileSync(csv, scored.flags.map(flagCsvRow).join(''));
          appendFileSync(jsonl, scored.flags.map((fl) => JSON.stringify(fl)).join('\n') + '\n');
          allFlags.push(...scored.flags);
        }
        latencies.push(Math.max(0, nowMs() - landedAt));
        if (!ctx.quiet && !ctx.json) for (const fl of scored.flags) ctx.stderr.write(`flag: episode ${fl.episode} step ${fl.step} score ${fl.score} (${fl.latents.slice(0, 3).map((l) => `${l.label} ${l.disagreement}`).join(', ')})\n`);
      },
    });
  } finally {
    process.removeListener('SIGINT', onSig);
  }
  const scoredEpisodes: ScoredEpisode[] = [...eps].map(([episode, x]) => ({
    episode,
    step: Int32Array.from(x.step),
    score: Float64Array.from(x.score),
    active: Uint8Array.from(x.active),
    onsets: x.onsets,
    flags: x.flags,
  }));
  const run = openRun(runDir);
  const report = buildReport(detector, scoredEpisodes, allFlags, {
    runId: run.manifest.id,
    runDir: run.dir,
    detectorFile: o.detectorFile ?? join(outDir, 'detector.json'),
    ...(o.resamples !== undefined ? { resamples: o.resamples } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
  });
  report.live = { batches: latencies.length, latencyMs: { median: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: Math.max(0, ...latencies) } };
  const files = writeReport(outDir, report, formats);
  summarise(ctx, report, outDir, [jsonl, ...files]);
}
