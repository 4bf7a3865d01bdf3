// Scores steps as they come, strictly causally: each row updates its episode's state
// (smoothing, hysteresis, conflict state) and is scored from that state alone, so the
// score at step t never depends on steps after t. The same code scores reference data
// while fitting, held-out episodes in evaluation and a live run in --follow.
import type { LatentAttribution, StepRows } from './channel.js';
import type { Contribution } from './combiner.js';
import type { Detector } from '../detector.js';
import { makeEventPredicate, type EventPredicate } from '../input/events.js';
import { flagStep, newFlaggerState, type FlaggerState } from './flagger.js';

export interface Flag {
  episode: number;
  step: number;
  score: number;
  threshold: number;
  /** The channel (agent pair) whose score raised the flag. */
  channel: string;
  agents: string[];
  /** What drove the score (feature contributions to the combined score). */
  contributions: Contribution[];
  /** The latents the agents disagree on most at this step, with each agent's view. */
  latents: LatentAttribution[];
  /** The agent whose copy of those latents moved (pair channels; see PairChannel.movedAgent), or null. */
  movedAgent: string | null;
  /** What each agent did at this step: its action, reward and text columns (texts cut at 200 characters). */
  behaviour: Record<string, Record<string, string | number | boolean | null>>;
}

export interface ScoredBatch {
  length: number;
  episode: Int32Array;
  step: Int32Array;
  score: Float64Array;
  /** Behavioural conflict state on at this step. */
  active: Uint8Array;
  /** A behavioural conflict starts at this step (rising edge of `active`). */
  onset: Uint8Array;
  /** Row of each flag raised in this batch. */
  flagRows: number[];
  flags: Flag[];
}

interface EpisodeState {
  channels: unknown[];
  flagger: FlaggerState;
  prevActive: boolean;
}

export interface ScorerOptions {
  /** Override the detector's calibrated threshold (e.g. Infinity to only score). */
  threshold?: number;
  /** Episode states kept at most (oldest dropped; default 1024). */
  maxEpisodes?: number;
}

export class ConflictScorer {
  readonly threshold: number;
  private readonly states = new Map<number, EpisodeState>();
  private readonly pred: EventPredicate;
  private readonly feats: Float64Array[];
  private readonly maxEpisodes: number;
  stepsScored = 0;

  constructor(
    readonly detector: Detector,
    opts: ScorerOptions = {},
  ) {
    this.threshold = opts.threshold ?? detector.calibration.threshold;
    this.pred = makeEventPredicate(detector.events, detector.agents, detector.columnSpecs);
    this.feats = detector.channels.map((c) => new Float64Array(c.featureNames.length));
    this.maxEpisodes = opts.maxEpisodes ?? 1024;
  }

  push(batch: StepRows): ScoredBatch {
    const { channels, combiners, config } = this.detector;
    const n = batch.length;
    const out: ScoredBatch = {
      length: n,
      episode: Int32Array.from({ length: n }, (_, r) => batch.episode[r]!),
      step: Int32Array.from({ length: n }, (_, r) => batch.step[r]!),
      score: new Float64Array(n),
      active: new Uint8Array(n),
      onset: new Uint8Array(n),
      flagRows: [],
      flags: [],
    };
    const preps = channels.map((c) => c.prepare(batch));
    for (let r = 0; r < n; r++) {
      const st = this.state(out.episode[r]!);
      let best = -Infinity;
      let which = 0;
      channels.forEach((c, i) => {
        c.step(st.channels[i], preps[i], batch, r, this.feats[i]!);
        const s = combiners[i]!.score(this.feats[i]!);
        if (s > best) {
          best = s;
          which = i;
        }
      });
      out.score[r] = best;
      const active = this.pred(batch.columns, r);
      out.active[r] = active ? 1 : 0;
      out.onset[r] = active && !st.prevActive ? 1 : 0;
      st.prevActive = active;
      if (flagStep(st.flagger, best, this.threshold, config.rearm)) {
        const ch = channels[which]!;
        const latents = ch.attribute(st.channels[which], config.topLatents);
        out.flagRows.push(r);
        out.flags.push({
          episode: out.episode[r]!,
          step: out.step[r]!,
          score: Math.round(best * 1e4) / 1e4,
          threshold: this.threshold,
          channel: ch.name,
          agents: [...ch.agents],
          contributions: combiners[which]!.contributions(this.feats[which]!),
          latents,
          movedAgent: ch.movedAgent ? ch.movedAgent(st.channels[which], latents.slice(0, 3)) : null,
          behaviour: this.behaviourAt(batch, r),
        });
      }
    }
    this.stepsScored += n;
    return out;
  }

  private behaviourAt(batch: StepRows, r: number): Flag['behaviour'] {
    const out: Flag['behaviour'] = {};
    this.detector.agents.forEach((id, a) => {
      const rec: Record<string, string | number | boolean | null> = {};
      for (const c of this.detector.columnSpecs[a] ?? []) {
        if (c.role !== 'action' && c.role !== 'reward' && c.role !== 'text') continue;
        const v = batch.columns[a]?.[c.name]?.[r];
        rec[c.name] = v === undefined || v === null ? null : typeof v === 'string' ? v.slice(0, 200) : typeof v === 'bigint' ? Number(v) : (v as number | boolean);
      }
      out[id] = rec;
    });
    return out;
  }

  private state(episode: number): EpisodeState {
    let st = this.states.get(episode);
    if (!st) {
      st = { channels: this.detector.channels.map((c) => c.newState()), flagger: newFlaggerState(), prevActive: false };
      this.states.set(episode, st);
      if (this.states.size > this.maxEpisodes) this.states.delete(this.states.keys().next().value!);
    }
    return st;
  }
}
