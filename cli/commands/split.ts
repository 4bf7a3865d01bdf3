import { resolveRunRef } from '../../data/index.js';
import { analyseOnRuns, DEFAULT_SPLIT, loadCheckpoint, releaseModel, saveCheckpoint, loadOptimizerState, type SplitThresholds, selectBackend, type BackendName } from '../../sae/index.js';
import { emit } from '../context.js';
import { table } from '../format.js';
import type { CommandModule } from '../program.js';

export const splitCommand: CommandModule = {
  register(program, action) {
    program
      .command('split')
      .argument('<ckpt>', 'checkpoint folder')
      .option('--run <runs...>', 'runs to sample (default: the runs the checkpoint was trained on)')
      .option('--relevance <x>', `relevance threshold τ_rel (default ${DEFAULT_SPLIT.relevance})`)
      .option('--explained <x>', `latent-scaling explained-fraction threshold (default ${DEFAULT_SPLIT.explained})`)
      .option('--rows <n>', `rows sampled (default ${DEFAULT_SPLIT.sampleRows})`)
      .option('--write', 'store the new split.json and metrics.json in the checkpoint')
      .option('--backend <name>', 'tensor backend (default auto)')
      .description(
        'classify each latent as shared / private-<agent> / dead from decoder block norms, checked by a least-squares ' +
          'latent-scaling fit of each agent\'s residual (see docs/RESULTS.md); prints counts, --json gives everything',
      )
      .action(
        action(async (ctx, ckpt: string, flags: { backend?: BackendName | 'auto'; run?: string[]; relevance?: string; explained?: string; rows?: string; write?: boolean }) => {
          await selectBackend(flags.backend);
          const model = loadCheckpoint(ckpt);
          const t: SplitThresholds = {
            ...model.cfg.split,
            ...(flags.relevance !== undefined ? { relevance: Number(flags.relevance) } : {}),
            ...(flags.explained !== undefined ? { explained: Number(flags.explained) } : {}),
            ...(flags.rows !== undefined ? { sampleRows: Number(flags.rows) } : {}),
          };
          const runs = flags.run?.map((r) => resolveRunRef(ctx.workspace, r));
          const { split, metrics } = analyseOnRuns(model, runs, t);
          releaseModel(model);
          if (flags.write) saveCheckpoint(model.dir!, model, { optimizer: loadOptimizerState(model.dir!) ?? undefined, split, metrics });
          emit(ctx, { split, metrics }, () =>
            [
              table(['class', 'latents'], Object.entries(split.counts).map(([c, k]) => [c, k])),
              '',
              `agreement α: ${[0, 1, 2, 3].map((a) => `${a}: ${split.alpha.filter((x) => x === a).length}`).join('  ')}`,
              `FVU ${Object.entries(metrics.fvu).map(([a, v]) => `${a} ${v.toFixed(4)}`).join('  ')}  L0 ${metrics.l0.toFixed(1)}  dead ${(100 * metrics.deadFraction).toFixed(1)}%  dense ${(100 * metrics.denseFraction).toFixed(1)}%`,
              `thresholds: relevance ${t.relevance}, explained ${t.explained}, dead < ${t.deadFrequency}, ${split.sampleRows} rows`,
            ].join('\n'),
          );
        }),
      );
  },
};
