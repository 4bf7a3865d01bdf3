// User options of the detector, validated and defaulted in one place.
import { DetectorConfigError } from './errors.js';
import { PAIR_STATISTICS, type PairStatistic } from './score/pairChannel.js';

export const SCORE_MODES = ['combined', 'disagreement', 'precursor', 'behaviour'] as const;
export type ScoreMode = (typeof SCORE_MODES)[number];

export interface DetectorConfig {
  /**
   * Steps ahead in which a behavioural conflict counts as predicted. Unset: read off the
   * reference data (fitDetector.ts, chooseHorizon); the resolved value 30 is only the
   * fallback where the reference data has no behavioural conflicts.
   */
  horizon?: number;
  /** Target false alarms per null step on reference data (default 0.001 = 1 per 1000 steps). */
  far?: number;
  /** EWMA weight of the newest step (default 0.3; 0.15 before the sixth session, see docs/RESULTS.md "EWMA weight, horizon rule and the latents the views compare"). */
  lambda?: number;
  /** Steps below threshold before a new flag can be raised (default 10). */
  rearm?: number;
  /** Which score to threshold (default 'combined'). */
  mode?: ScoreMode;
  /** Precursor latents kept at most (default 8). */
  precursors?: number;
  /** Minimum |AUROC − 0.5| on training episodes for a precursor (default 0.1). */
  precursorMinGap?: number;
  /**
   * Fraction of reference episodes held back for calibration. Unset: 0.3, raised up to 0.5
   * where that is needed for about 3/far null steps (so the target rate is resolvable).
   */
  calibrationFraction?: number;
  /** Latents listed per flag (default 5). */
  topLatents?: number;
  /** Seed of the fit/calibration split (default 0). */
  seed?: number;
  /** Disagreement statistic of each agent pair: 'sparse' (default) or 'mewma' (pairChannel.ts). */
  statistic?: PairStatistic;
  /**
   * Level bins of each latent's disagreement spread (default 5; 1 = one spread per latent):
   * the spread of v_A − v_B is measured separately in quantile bins of the lower reading
   * min(v_A, v_B). See pairChannel.ts. Defaults of statistic and bins were chosen on
   * development seeds of the planted benchmark (bench/conflicts/develop.bench.ts).
   */
  levelBins?: number;
}

export type ResolvedDetectorConfig = Readonly<Required<DetectorConfig>>;

export function resolveDetectorConfig(c: DetectorConfig = {}): ResolvedDetectorConfig {
  const r: Required<DetectorConfig> = {
    horizon: c.horizon ?? 30,
    far: c.far ?? 0.001,
    lambda: c.lambda ?? 0.3,
    rearm: c.rearm ?? 10,
    mode: c.mode ?? 'combined',
    precursors: c.precursors ?? 8,
    precursorMinGap: c.precursorMinGap ?? 0.1,
    calibrationFraction: c.calibrationFraction ?? 0.3,
    topLatents: c.topLatents ?? 5,
    seed: c.seed ?? 0,
    statistic: c.statistic ?? 'sparse',
    levelBins: c.levelBins ?? 5,
  };
  const int = (k: keyof DetectorConfig, lo: number) => {
    const v = r[k] as number;
    if (!Number.isInteger(v) || v < lo) throw new DetectorConfigError(`detector option '${k}' must be an integer ≥ ${lo}, got ${v}`);
  };
  int('horizon', 1);
  int('rearm', 1);
  int('precursors', 0);
  int('topLatents', 1);
  int('seed', 0);
  int('levelBins', 1);
  if (!(r.far > 0 && r.far < 1)) throw new DetectorConfigError(`detector option 'far' must be in (0, 1), got ${r.far}`);
  if (!(r.lambda > 0 && r.lambda <= 1)) throw new DetectorConfigError(`detector option 'lambda' must be in (0, 1], got ${r.lambda}`);
  if (!(r.calibrationFraction > 0 && r.calibrationFraction < 1)) {
    throw new DetectorConfigError(`detector option 'calibrationFraction' must be in (0, 1), got ${r.calibrationFraction}`);
  }
  if (!(r.precursorMinGap >= 0 && r.precursorMinGap < 0.5)) throw new DetectorConfigError(`detector option 'precursorMinGap' must be in [0, 0.5)`);
  if (!PAIR_STATISTICS.includes(r.statistic)) {
    throw new DetectorConfigError(`detector option 'statistic' must be one of ${PAIR_STATISTICS.join(', ')}, got ${String(r.statistic)}`);
  }
  if (!SCORE_MODES.includes(r.mode)) throw new DetectorConfigError(`detector option 'mode' must be one of ${SCORE_MODES.join(', ')}, got ${String(r.mode)}`);
  return Object.freeze(r);
}
