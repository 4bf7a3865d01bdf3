// `thoughtlens experiment <spec.json>`: conditions × seeds of in-context agents (train,
// evaluate on held-out co-players), resumable, with a JSON/CSV/MD/HTML report (docs/EXPERIMENTS.md).
// A spec with "kind": "games" runs the reasoning-style experiment instead (games agent per seed,
// performance per game × co-player style, style probes; experiments/games/).
import { join, resolve } from 'node:path';
import { UsageError } from '../../data/index.js';
import { buildExperimentReport, buildGamesReport, EXPERIMENT_FORMATS, fmtT, loadAnyExperimentSpec, recordConditionRuns, representationShift, runExperiment, runGamesExperiment, writeExperimentReport, writeGamesReport, type ExperimentFormat, type ResolvedGamesSpec } from '../../experiments/index.js';
import { emit, type CliContext } from '../context.js';
import type { CommandModule } from '../program.js';
import { ProgressBar } from '../progress.js';

interface ExperimentFlags {
  out?: string;
  format?: string;
}

export const experimentCommand: CommandModule = {
  register(program, action) {
    program
      .command('experiment')
      .argument('<spec.json>', 'experiment spec (docs/EXPERIMENTS.md; examples/experiments/)')
      .description(
        'run conditions × seeds: train the in-context agents each condition needs (burstiness: whole / partial / isolated ' +
          'training contexts), evaluate them on held-out co-players under the condition\'s test context (peer-memory prefix, ' +
          'shuffled or truncated history), and write a report with per-condition behaviour and the shift from the baseline. ' +
          'Resumable: finished agents and cells in the output folder are reused. A spec with "kind": "games" runs the ' +
          'reasoning-style experiment: one agent per seed across five games, its performance per game × co-player style ' +
          '(minimax, trust, level-k) against held-out co-players, and style probes against counting baselines.',
      )
      .option('-o, --out <dir>', 'output folder (default <workspace>/experiments/<spec name>)')
      .option('--format <list>', `report formats, comma-separated (default ${EXPERIMENT_FORMATS.join(',')})`)
      .addHelpText('after', '\nExamples:\n  thoughtlens experiment examples/experiments/burstiness.json\n  thoughtlens experiment examples/experiments/peer-memory.json --out exp/peer --json\n  thoughtlens experiment examples/experiments/styles-games.json\n')
      .action(
        action(async (ctx: CliContext, file: string, flags: ExperimentFlags) => {
          const formats = (flags.format ?? EXPERIMENT_FORMATS.join(',')).split(',').map((s) => s.trim()).filter(Boolean) as ExperimentFormat[];
          for (const f of formats) if (!EXPERIMENT_FORMATS.includes(f)) throw new UsageError(`unknown report format '${f}' (formats: ${EXPERIMENT_FORMATS.join(', ')})`);
          const anySpec = loadAnyExperimentSpec(file);
          const out = resolve(flags.out ?? join(ctx.workspace, 'experiments', anySpec.name));
          const quiet = ctx.quiet || ctx.json;
          const command = `thoughtlens experiment ${file}${flags.out ? ` --out ${flags.out}` : ''}`;
          if (anySpec.kind === 'games') return runGames(ctx, anySpec, out, formats, command, quiet);
          const spec = anySpec;
          let bar: ProgressBar | null = null;
          let phase = '';
          const run = runExperiment(spec, out, (p) => {
            if (p.phase !== phase) {
              bar?.finish();
              phase = p.phase;
              bar = new ProgressBar(ctx, { total: p.total, label: p.phase === 'train' ? 'train agents' : 'evaluate cells', unit: p.phase === 'train' ? 'agent' : 'cell', quiet });
            }
            bar!.update(p.done, `${p.label}${p.resumed ? ' (resumed)' : ''}`);
          });
          (bar as ProgressBar | null)?.finish();
          let representation = null;
          if (spec.dictionary) {
            const rb = new ProgressBar(ctx, { total: spec.seeds.length * spec.conditions.length, label: 'record runs', unit: 'run', quiet });
            const runs = recordConditionRuns(spec, out, run.cells, (done, _t, label, resumed) => rb.update(done, `${label}${resumed ? ' (resumed)' : ''}`));
            rb.finish();
            const steps = (spec.dictionary as { steps?: number }).steps ?? 0;
            const tb = new ProgressBar(ctx, { total: steps, label: 'train dictionary', unit: 'step', quiet });
            representation = await representationShift(spec, out, runs, { dictionary: spec.dictionary, resamples: spec.evaluate.resamples, onTrain: (p) => tb.update(p.step, `loss ${p.loss.toFixed(3)}`) });
            tb.finish();
          }
          const report = buildExperimentReport(spec, run.cells, { seconds: run.seconds, command, representation });
          const files = writeExperimentReport(out, report, formats);
          emit(ctx, { dir: out, files, resumedCells: run.resumedCells, report }, () =>
            [
              `experiment ${spec.name}: ${run.cells.length} cells (${run.resumedCells} resumed) in ${run.seconds.toFixed(1)} s`,
              ...report.conditions.map(
                (c) =>
                  `  ${c.condition.padEnd(20)} fraction ${c.metrics.fraction.estimate.toFixed(3)} [${c.metrics.fraction.lo.toFixed(3)}, ${c.metrics.fraction.hi.toFixed(3)}]  ` +
                  `best ${c.metrics.bestRate.estimate.toFixed(3)}  defect ${c.metrics.defection.estimate.toFixed(3)}  first D ${c.metrics.firstDefection.estimate.toFixed(1)}`,
              ),
              ...(representation
                ? representation.conditions.map((c) => {
                    const t = c.top[0];
                    return `  latents ${c.condition.padEnd(12)} ${c.significant} with q ≤ ${representation!.alpha}${t ? `; top latent ${t.latent}: d ${t.d.estimate.toFixed(2)} [${t.d.lo.toFixed(2)}, ${t.d.hi.toFixed(2)}], Δ rate ${t.deltaRate.toFixed(3)}, q ${t.q.toPrecision(2)}` : ''}`;
                  })
                : []),
              'report:',
              ...files.map((f) => `  ${f}`),
            ].join('\n'),
          );
        }),
      );
  },
};

function runGames(ctx: CliContext, spec: ResolvedGamesSpec, out: string, formats: ExperimentFormat[], command: string, quiet: boolean): void {
  const bar = new ProgressBar(ctx, { total: spec.seeds.length, label: 'games experiment', unit: 'seed', quiet });
  const run = runGamesExperiment(spec, out, (p) => bar.update(p.done, `${p.label}${p.resumed ? ' (resumed)' : ''}`));
  bar.finish();
  const report = buildGamesReport(spec, run.cells, { seconds: run.seconds, command });
  const files = writeGamesReport(out, report, formats);
  const last = report.probes[report.probes.length - 1];
  emit(ctx, { dir: out, files, resumedCells: run.resumedCells, report }, () =>
    [
      `experiment ${spec.name} (games): ${run.cells.length} seeds (${run.resumedCells} resumed) in ${run.seconds.toFixed(1)} s`,
      `  fraction of optimum by style: ${report.byFamily.map((f) => `${f.family} ${fmtT(f.fraction)}`).join(', ')}`,
      `  by game: ${report.byGame.map((g) => `${g.game} ${fmtT(g.fraction)}`).join(', ')}`,
      ...(last ? [`  style probe at round ${last.round}: trained ${fmtT(last.trained)}, n-grams ${fmtT(last.ngram)}, Bayes ceiling ${fmtT(last.bayes)}`] : []),
      'report:',
      ...files.map((f) => `  ${f}`),
    ].join('\n'),
  );
}
