import { resolveRunRef } from '../../data/index.js';
import { analyseOnRuns, evaluateOnRun, loadCheckpoint, readCheckpointJson, releaseModel, type SplitResult, selectBackend, type BackendName } from '../../sae/index.js';
import { emit } from '../context.js';
import { table } from '../format.js';
import type { CommandModule } from '../program.js';

export const evalTruthCommand: CommandModule = {
  register(program, action) {
    program
      .command('eval-truth')
      .argument('<ckpt>', 'checkpoint folder')
      .argument('<run>', 'a synthetic run with ground truth (truth/structure.json, truth/latents.arrows)')
      .option('--rows <n>', 'steps of the run to score (default 4096)')
      .option('--backend <name>', 'tensor backend (default auto)')
      .description(
        'score a checkpoint against a synthetic run\'s ground truth: structure F1 of the split, MCC after Hungarian ' +
          'matching (Pearson, Spearman) and the block R² matrix of a held-out kernel-ridge regressor',
      )
      .action(
        action(async (ctx, ckpt: string, ref: string, flags: { backend?: BackendName | 'auto'; rows?: string }) => {
          const runDir = resolveRunRef(ctx.workspace, ref);
          await selectBackend(flags.backend);
          const model = loadCheckpoint(ckpt);
          const split = readCheckpointJson<SplitResult>(ckpt, 'split.json') ?? analyseOnRuns(model).split;
          const rep = evaluateOnRun(model, split, runDir, { maxRows: flags.rows ? Number(flags.rows) : undefined });
          releaseModel(model);
          emit(ctx, rep, () =>
            [
              `structure F1 ${rep.structure.f1.toFixed(3)}  (accuracy ${rep.structure.accuracy.toFixed(3)}; ${rep.trueLatents} true latents, ${rep.liveLatents} live latents)`,
              `MCC          Pearson ${rep.mcc.pearson.toFixed(3)}  Spearman ${rep.mcc.spearman.toFixed(3)}`,
              '',
              'block R² (rows: true blocks, columns: recovered classes)',
              table(['', ...rep.blockR2.latentClasses], rep.blockR2.trueBlocks.map((t, i) => [t, ...rep.blockR2.r2[i]!.map((x) => x.toFixed(3))])),
            ].join('\n'),
          );
        }),
      );
  },
};
