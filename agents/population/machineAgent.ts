// A pool style playing the agent's seat: a SeqModel that reads the joint outcome from its
// observation and runs the style's machine (with noise and timers, via StylePlayers). Used for
// the tit-for-tat and win-stay-lose-shift baselines and for pool styles in a tournament.
import { makeRng } from '../../util/random.js';
import { OBS_SIZE } from '../ipd/payoffs.js';
import type { ModelConfig, Rollout, SeqModel } from '../ipd/seqModel.js';
import { compileStyle, StylePlayers, type CompiledStyle, type StyleSpec } from '../pool/index.js';

/** |logit| of a scripted move: σ(40) is 1 in double precision. */
export const SCRIPTED_LOGIT = 40;

export const MACHINE_CONFIG: Readonly<ModelConfig> = Object.freeze({ arch: 'gru', hidden: 0, inputs: OBS_SIZE, featuresPerStep: 1 });

export class MachineAgent implements SeqModel {
  readonly cfg = MACHINE_CONFIG;
  readonly params = [];
  private players: StylePlayers | null = null;
  private starts = 0;

  constructor(
    readonly style: CompiledStyle,
    private readonly seed = 1,
  ) {}

  start(n: number, maxSteps: number): Rollout {
    this.players = new StylePlayers([this.style], n, makeRng(this.seed * 7919 + this.starts++));
    this.players.reset(new Int32Array(n));
    return { n, maxSteps, t: 0, logit: new Float64Array(maxSteps * n), value: new Float64Array(maxSteps * n) };
  }

  step(ro: Rollout, features: Int32Array): void {
    const { n, t } = ro;
    const players = this.players!;
    if (t > 0) {
      const own = new Int32Array(n);
      const other = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const o = features[i]! - 1;
        own[i] = o >> 1;
        other[i] = o & 1;
      }
      players.observe(own, other);
    }
    const act = new Int32Array(n);
    players.act(act);
    for (let i = 0; i < n; i++) ro.logit[t * n + i] = act[i] === 0 ? SCRIPTED_LOGIT : -SCRIPTED_LOGIT;
    ro.t++;
  }

  hiddenAt(): void {}
  backward(): void {}
}

export const TIT_FOR_TAT: StyleSpec = Object.freeze({ name: 'tit-for-tat', group: 'baseline', kind: 'memory', n: 1, start: 1, p: { '?C': 1, '?D': 0 } }) as StyleSpec;
/** Win-stay-lose-shift (Pavlov): cooperate after CC and DD, defect after CD and DC. */
export const WIN_STAY_LOSE_SHIFT: StyleSpec = Object.freeze({ name: 'win-stay-lose-shift', group: 'baseline', kind: 'memory', n: 1, start: 1, p: { CC: 1, DD: 1, CD: 0, DC: 0 } }) as StyleSpec;

export function titForTat(): CompiledStyle {
  return compileStyle(TIT_FOR_TAT);
}

export function winStayLoseShift(): CompiledStyle {
  return compileStyle(WIN_STAY_LOSE_SHIFT);
}
