import { resolveRunRef } from '../../data/index.js';
import {
  ConfigError,
  analyseOnRuns,
  evaluateOnRun,
  loadCheckpoint,
  readCheckpointJson,
  resolveCheckpointRef,
  releaseModel,
  type SplitResult,
  selectBackend,
  type BackendName,
} from '../../sae/index.js';
import { emit } from '../context.js';
import { table } from '../format.js';
import type { CommandModule } from '../program.js';

export const evalTruthCommand: CommandModule = {
  register(program, action) {
    program
      .command('eval-truth')
      .argument('<ckpt>', 'checkpoint folder, or a checkpoint name in <workspace>/checkpoints/')
      .argument(
        '<run>',
        'a synthetic run with ground truth (truth/structure.json, truth/latents.arrows)',
      )
      .option('--rows <n>', 'steps of the run to score (default 4096)')
      .option(
        '--episodes <set>',
        'heldout | train | all | auto (default auto: the episodes held out of training when the run is a training run, else all)',
      )
      .option('--backend <name>', 'tensor backend (default auto)')
      .description(
        "score a checkpoint against a run's ground truth (truth/ of a synthetic run, or attached with `truth attach`) on " +
          'episodes the dictionary was not trained on: per class the latents labelled vs true thoughts, class precision and ' +
          'recall (|r| ≥ 0.3; a latent matching no thought or firing on < 0.1% of steps counts as wrong), structure F1 and ' +
          'MCC after Hungarian matching (Pearson, Spearman), and the block R² matrix of a held-out kernel-ridge regressor',
      )
      .action(
        action(
          async (
            ctx,
            ckpt: string,
            ref: string,
            flags: { backend?: BackendName | 'auto'; rows?: string; episodes?: string },
          ) => {
            const sets = ['heldout', 'train', 'all', 'auto'] as const;
            if (
              flags.episodes !== undefined &&
              !sets.includes(flags.episodes as (typeof sets)[number])
            )
              throw new ConfigError(
                `--episodes must be one of ${sets.join(', ')}, got '${flags.episodes}'`,
              );
            ckpt = resolveCheckpointRef(ctx.workspace, ckpt);
            const runDir = resolveRunRef(ctx.workspace, ref);
            await selectBackend(flags.backend);
            const model = loadCheckpoint(ckpt);
            const split =
              readCheckpointJson<SplitResult>(ckpt, 'split.json') ?? analyseOnRuns(model).split;
            const rep = evaluateOnRun(model, split, runDir, {
              maxRows: flags.rows ? Number(flags.rows) : undefined,
              episodes: flags.episodes as (typeof sets)[number] | undefined,
            });
            releaseModel(model);
            emit(ctx, rep, () =>
              [
                `scored ${rep.rows} steps of ${rep.episodesScored} ${rep.episodeSet === 'heldout' ? 'held-out' : rep.episodeSet} episodes`,
                table(
                  [
                    'class',
                    'labelled',
                    'true',
                    'precision',
                    'precision (drift counted)',
                    'precision (rank ρ)',
                    'recall',
                  ],
                  Object.entries(rep.classes).map(([c, e]) => [
                    c,
                    e.labelled,
                    e.truth,
                    Number.isFinite(e.precision) ? e.precision.toFixed(3) : '–',
                    e.precisionWithDrift !== null && Number.isFinite(e.precisionWithDrift)
                      ? e.precisionWithDrift.toFixed(3)
                      : '–',
                    Number.isFinite(e.precisionByRank) ? e.precisionByRank.toFixed(3) : '–',
                    Number.isFinite(e.recall) ? e.recall.toFixed(3) : '–',
                  ]),
                ),
                `rare ${split.counts.rare ?? 0}  dead ${split.counts.dead ?? 0}   class precision (macro) ${rep.classPrecision.toFixed(3)} (by rank ρ ${rep.classPrecisionByRank.toFixed(3)})  recall ${rep.classRecall.toFixed(3)}`,
                `structure F1 ${rep.structure.f1.toFixed(3)}  (accuracy ${rep.structure.accuracy.toFixed(3)}; ${rep.trueLatents} true latents, ${rep.liveLatents} live latents)`,
                `MCC          Pearson ${rep.mcc.pearson.toFixed(3)}  Spearman ${rep.mcc.spearman.toFixed(3)}`,
                ...(rep.perLatent
                  ? [
                      `signed pairs ${rep.signedPairs} (each scored above as one signed latent). Every latent on its own: MCC ${rep.perLatent.mcc.pearson.toFixed(3)}  F1 ${rep.perLatent.structureF1.toFixed(3)}  class precision ${rep.perLatent.classPrecision.toFixed(3)}  recall ${rep.perLatent.classRecall.toFixed(3)}`,
                    ]
                  : []),
                '',
                'block R² (rows: true blocks, columns: recovered classes)',
                table(
                  ['', ...rep.blockR2.latentClasses],
                  rep.blockR2.trueBlocks.map((t, i) => [
                    t,
                    ...rep.blockR2.r2[i]!.map((x) => x.toFixed(3)),
                  ]),
                ),
              ].join('\n'),
            );
          },
        ),
      );
  },
};
