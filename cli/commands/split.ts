import { resolveRunRef, UsageError } from '../../data/index.js';
import {
  readCheckpointJson,
  resolveCheckpointRef,
  type SplitResult,
  analyseOnRuns,
  DEFAULT_SPLIT,
  loadCheckpoint,
  releaseModel,
  saveCheckpoint,
  loadOptimizerState,
  type SplitThresholds,
  resolveSplitThresholds,
  selectBackend,
  type BackendName,
} from '../../sae/index.js';
import { absorbedText } from '../absorbedText.js';
import { emit } from '../context.js';
import { table } from '../format.js';
import type { CommandModule } from '../program.js';

export const splitCommand: CommandModule = {
  register(program, action) {
    program
      .command('split')
      .argument('<ckpt>', 'checkpoint folder')
      .option('--run <runs...>', 'runs to sample (default: the runs the checkpoint was trained on)')
      .option(
        '--min-explained <x>',
        `effect floor: fraction of an agent's residual energy a latent must explain to count as used (default ${DEFAULT_SPLIT.minExplained})`,
      )
      .option(
        '--null-sigmas <x>',
        `standard deviations above the permutation null (default ${DEFAULT_SPLIT.nullSigmas})`,
      )
      .option(
        '--min-active <n>',
        `fewer active sample rows than this → 'rare' (default ${DEFAULT_SPLIT.minActive})`,
      )
      .option(
        '--min-episode-spread <f>',
        `activation from fewer effective episodes, relative to what as many activations reach by chance, than this fraction of the dictionary's median → 'rare'; 0 = off (default ${DEFAULT_SPLIT.minEpisodeSpread})`,
      )
      .option(
        '--min-episode-spread-shared <f>',
        `the same bar for a latent every agent uses (each agent's use clears its own null); ≤ --min-episode-spread (default ${DEFAULT_SPLIT.minEpisodeSpreadShared})`,
      )
      .option(
        '--signed-cosine <c>',
        `two latents with decoder cosine ≤ −c that never fire together and whose encoder pre-activations are anti-correlated (r ≤ −0.8) are one signed variable; 1 = off (default ${DEFAULT_SPLIT.signedCosine})`,
      )
      .option(
        '--absorbed-cosine <c>',
        `an agent whose block of a latent points (cosine ≥ c) where another latent it shares with the other user points, at most half as large relative to that user's block as the other latent's, does not use it (a private child's latent that absorbed its shared parent); 1 = off (default ${DEFAULT_SPLIT.absorbedCosine})`,
      )
      .option(
        '--pair-correlation <r>',
        `a private latent whose code is explained (least squares on up to 3 latents other agents use: R² ≥ r² over the sample, or R² ≥ r in the median episode where it fires) joins their users (a decoupled, duplicate or split reading); 1 = off (default ${DEFAULT_SPLIT.pairCorrelation})`,
      )
      .option(
        '--witness-match <which>',
        `a latent counts as reproduced by the witness seed when its one-to-one match ('one') or any witness latent ('any': also a duplicate the witness holds in one latent) correlates ≥ ${DEFAULT_SPLIT.minStability} (default ${DEFAULT_SPLIT.reproducedByAny ? 'any' : 'one'})`,
      )
      .option('--rows <n>', `held-out rows sampled (default ${DEFAULT_SPLIT.sampleRows})`)
      .option('--write', 'store the new split.json and metrics.json in the checkpoint')
      .option('--backend <name>', 'tensor backend (default auto)')
      .description(
        'classify each latent as shared / private-<agent> / partial / rare / dead on episodes held out of training: an agent ' +
          "uses a latent when the latent explains its residual along the latent's decoder direction above a permutation null " +
          '(rows re-paired to other episodes) and above an effect floor (docs/SPLIT.md); prints counts, --json gives every ' +
          "latent's evidence (latent scaling ν with a bootstrap interval, explained fraction, threshold, active rows)",
      )
      .action(
        action(
          async (
            ctx,
            ckpt: string,
            flags: {
              backend?: BackendName | 'auto';
              run?: string[];
              minExplained?: string;
              nullSigmas?: string;
              minActive?: string;
              minEpisodeSpread?: string;
              minEpisodeSpreadShared?: string;
              pairCorrelation?: string;
              signedCosine?: string;
              absorbedCosine?: string;
              witnessMatch?: string;
              rows?: string;
              write?: boolean;
            },
          ) => {
            await selectBackend(flags.backend);
            ckpt = resolveCheckpointRef(ctx.workspace, ckpt);
            const model = loadCheckpoint(ckpt);
            const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
            if (flags.witnessMatch !== undefined && flags.witnessMatch !== 'one' && flags.witnessMatch !== 'any') {
              throw new UsageError(`--witness-match must be 'one' or 'any', got '${flags.witnessMatch}'`);
            }
            const t: SplitThresholds = resolveSplitThresholds({
              ...model.cfg.split,
              ...(flags.minExplained !== undefined
                ? { minExplained: num(flags.minExplained) }
                : {}),
              ...(flags.nullSigmas !== undefined ? { nullSigmas: num(flags.nullSigmas) } : {}),
              ...(flags.minActive !== undefined ? { minActive: num(flags.minActive) } : {}),
              ...(flags.minEpisodeSpread !== undefined
                ? { minEpisodeSpread: num(flags.minEpisodeSpread) }
                : {}),
              ...(flags.minEpisodeSpreadShared !== undefined
                ? { minEpisodeSpreadShared: num(flags.minEpisodeSpreadShared) }
                : {}),
              ...(flags.pairCorrelation !== undefined
                ? { pairCorrelation: num(flags.pairCorrelation) }
                : {}),
              ...(flags.signedCosine !== undefined
                ? { signedCosine: num(flags.signedCosine) }
                : {}),
              ...(flags.absorbedCosine !== undefined
                ? { absorbedCosine: num(flags.absorbedCosine) }
                : {}),
              ...(flags.witnessMatch !== undefined ? { reproducedByAny: flags.witnessMatch === 'any' } : {}),
              ...(flags.rows !== undefined ? { sampleRows: num(flags.rows) } : {}),
            });
            const runs = flags.run?.map((r) => resolveRunRef(ctx.workspace, r));
            const { split, metrics } = analyseOnRuns(
              model,
              runs,
              t,
              readCheckpointJson<SplitResult>(ckpt, 'split.json'),
            );
            releaseModel(model);
            if (flags.write)
              saveCheckpoint(model.dir!, model, {
                optimizer: loadOptimizerState(model.dir!) ?? undefined,
                split,
                metrics,
              });
            emit(ctx, { split, metrics }, () =>
              [
                table(
                  ['class', 'latents', 'variables (a signed pair once)'],
                  Object.entries(split.counts).map(([c, k]) => [
                    c,
                    k,
                    split.signedCounts?.[c] ?? k,
                  ]),
                ),
                `signed pairs (two latents reading the two sides of one signed variable): ${(split.signed ?? []).filter((k, j) => k > j).length}`,
                absorbedText(split) || 'absorbed uses: none',
                '',
                agreementLine(split),
                `FVU ${Object.entries(metrics.fvu)
                  .map(([a, v]) => `${a} ${v.toFixed(4)}`)
                  .join(
                    '  ',
                  )}  L0 ${metrics.l0.toFixed(1)}  dead ${(100 * metrics.deadFraction).toFixed(1)}%  dense ${(100 * metrics.denseFraction).toFixed(1)}%`,
                `decided on ${split.sampleRows} rows of ${split.sampleEpisodes} ${split.sampleSet === 'heldout' ? 'held-out' : split.sampleSet} episodes: ` +
                  `used = R² ≥ max(${t.minExplained}, null μ₀ + ${t.nullSigmas}σ₀ over ${t.permutations} permutations); rare < ${t.minActive} rows, < ${t.rareFrequency} of rows or spread over < ${t.minEpisodeSpread} × the median effective episodes (${t.minEpisodeSpreadShared} × for a latent every agent uses; each relative to chance)`,
              ].join('\n'),
            );
          },
        ),
      );
  },
};

/** How many latents each number of agents uses, 0 (rare or dead) up to every agent of the split. */
export function agreementLine(split: Pick<SplitResult, 'agents' | 'alpha'>): string {
  const counts = Array.from({ length: split.agents.length + 1 }, (_, a) => `${a}: ${split.alpha.filter((x) => x === a).length}`);
  return `agreement α (agents using a latent; 0 = rare or dead): ${counts.join('  ')}`;
}
