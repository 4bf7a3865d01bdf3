// The synthetic paired-agent source: per step, the common thoughts; per agent, its own copy
// (only the thoughts it holds, plus a planted drift where a conflict runs), its hidden state
// x_a = map_a(copy_a) + noise (map_a and the thought process come from the config's family,
// families/), and its behaviour read out of its copy. Steps come out in
// chunks of preallocated typed arrays (views reused from chunk to chunk), so a run of any
// length is generated in constant memory. Same config, same bytes.
import { resolveSyntheticConfig, type ResolvedSyntheticConfig, type SyntheticConfig } from './config.js';
import { ActionReadout } from './actionReadout.js';
import { driftAt, planConflicts, type PlannedConflict } from './conflicts.js';
import type { FamilyModel, SyntheticFamily } from './families/family.js';
import { syntheticFamily } from './families/registry.js';
import type { HiddenMap } from './hiddenMap.js';
import { rngFor, STREAM } from './seeds.js';
import { buildStructure, type SyntheticStructure } from './structure.js';

export interface SyntheticAgentChunk {
  id: string;
  hiddenSize: number;
  /** rows × hiddenSize. */
  hidden: Float32Array;
  action: Int32Array;
  /** 1 while the agent's behaviour agrees with its partners', 0 after a planted divergence. */
  reward: Float32Array;
  /** 1 at the step where a planted conflict shows in behaviour (for drifter and counterparties). */
  diverged: Uint8Array;
  /** rows × thoughtCount: the agent's own copy over the global thought index (0 where not held). */
  thoughts: Float32Array;
}

export interface SyntheticChunk {
  rows: number;
  episode: Int32Array;
  step: Int32Array;
  /** rows × thoughtCount: the common thoughts before any planted drift. */
  thoughts: Float32Array;
  agents: SyntheticAgentChunk[];
  /** Steps generated so far, this chunk included. */
  done: number;
}

/** Number of i.i.d. stationary thought samples used to calibrate the mixing gains. */
const CALIBRATION_ROWS = 512;

export class SyntheticGenerator {
  readonly config: ResolvedSyntheticConfig;
  readonly structure: SyntheticStructure;
  readonly family: SyntheticFamily;
  /** The family built for this config: thought source, maps, family truth. */
  readonly model: FamilyModel;
  /** Per agent (config order), its map from its thoughts (structure.agents[a].thoughts order) to its hidden state. */
  readonly networks: readonly HiddenMap[];
  readonly conflicts: readonly PlannedConflict[];
  /** Quantum q of the action readout (see actionReadout.ts). */
  readonly quantum: number;

  constructor(config: SyntheticConfig = {}) {
    this.config = resolveSyntheticConfig(config);
    this.structure = buildStructure(this.config);
    this.family = syntheticFamily(this.config.family.name);
    this.model = this.family.build(this.config, this.structure);
    this.networks = this.buildNetworks();
    this.conflicts = planConflicts(this.config, this.structure);
    this.quantum = this.config.conflicts.speed / 2;
  }

  get totalSteps(): number {
    return this.config.episodes * this.config.steps;
  }

  agentIndex(id: string): number {
    const a = this.structure.agents.findIndex((x) => x.id === id);
    if (a < 0) throw new RangeError(`no agent '${id}'`);
    return a;
  }

  /**
   * Noise-free hidden states of agent `id` for `rows` thought vectors over the global index
   * (consecutive steps of one episode, from its start, for maps with memory).
   */
  hiddenFromThoughts(id: string, thoughts: ArrayLike<number>, rows: number): Float32Array {
    const a = this.agentIndex(id);
    const held = this.structure.agents[a]!.thoughts;
    const K = this.structure.thoughtCount;
    const input = new Float64Array(rows * held.length);
    for (let r = 0; r < rows; r++) for (let i = 0; i < held.length; i++) input[r * held.length + i] = thoughts[r * K + held[i]!]!;
    const net = this.networks[a]!;
    const out = new Float64Array(rows * net.outputSize);
    net.forward(input, rows, out, new Float64Array(net.stateSize));
    return Float32Array.from(out);
  }

  /**
   * Recovers agent `id`'s thoughts (its held ones, in structure order) from one noise-free
   * state (`previous`: the state before it, for maps with memory; zeros if absent).
   */
  thoughtsFromHidden(id: string, hidden: ArrayLike<number>, previous?: ArrayLike<number>): Float64Array {
    return this.networks[this.agentIndex(id)]!.inverse(hidden, previous);
  }

  /** Generates every step, episode by episode, in chunks of at most `maxRows` steps. */
  *chunks(maxRows = 1024): Generator<SyntheticChunk> {
    const cfg = this.config;
    const K = this.structure.thoughtCount;
    const T = cfg.steps;
    const cap = Math.max(1, Math.min(maxRows, T));
    const layouts = this.structure.agents;
    const nA = layouts.length;
    const episode = new Int32Array(cap);
    const step = new Int32Array(cap);
    const base = new Float32Array(cap * K);
    const bufs = layouts.map((l, a) => ({
      id: l.id,
      d: l.hiddenSize,
      held: Int32Array.from(l.thoughts),
      shared: Int32Array.from(l.shared),
      heldMask: maskOf(l.thoughts, K),
      copy: new Float32Array(cap * K),
      input: new Float64Array(cap * l.thoughts.length),
      out: new Float64Array(cap * l.hiddenSize),
      hidden: new Float32Array(cap * l.hiddenSize),
      action: new Int32Array(cap),
      undrifted: new Int32Array(cap),
      reward: new Float32Array(cap),
      diverged: new Uint8Array(cap),
      readout: new ActionReadout(cfg.conflicts.lag, this.quantum),
      net: this.networks[a]!,
      state: new Float64Array(this.networks[a]!.stateSize),
    }));
    const byEpisode = new Map(this.conflicts.map((c) => [c.episode, c]));
    const process = this.model.thoughtSource();
    const noise = cfg.mixing.noise;
    const read = { action: 0, undrifted: 0 };
    let done = 0;
    for (let e = 0; e < cfg.episodes; e++) {
      const rngT = rngFor(cfg.seed, STREAM.thoughts, e);
      const rngN = layouts.map((_, a) => rngFor(cfg.seed, STREAM.noise, e, a));
      process.reset();
      for (const b of bufs) {
        b.readout.reset();
        b.state.fill(0);
      }
      const conflict = byEpisode.get(e);
      const drifter = conflict ? this.agentIndex(conflict.agent) : -1;
      const member = layouts.map((l) => (conflict ? l.id === conflict.agent || conflict.counterparties.includes(l.id) : false));
      const driftIds = Int32Array.from(conflict?.thoughts ?? []);
      let divergedAt = -1;
      for (let t0 = 0; t0 < T; t0 += cap) {
        const rows = Math.min(cap, T - t0);
        for (let r = 0; r < rows; r++) {
          const t = t0 + r;
          const ro = r * K;
          episode[r] = e;
          step[r] = t;
          process.step(rngT, base, ro);
          const drift = conflict ? driftAt(conflict, t) : 0;
          for (let a = 0; a < nA; a++) {
            const b = bufs[a]!;
            const copy = b.copy;
            for (let j = 0; j < K; j++) copy[ro + j] = b.heldMask[j] ? base[ro + j]! : 0;
            if (a === drifter && drift > 0) for (let i = 0; i < driftIds.length; i++) copy[ro + driftIds[i]!]! += drift;
            let s = 0;
            let s0 = 0;
            for (let i = 0; i < b.shared.length; i++) {
              s += copy[ro + b.shared[i]!]!;
              s0 += base[ro + b.shared[i]!]!;
            }
            b.readout.push(s, s0, read);
            b.action[r] = read.action;
            b.undrifted[r] = read.undrifted;
            if (a !== drifter && read.action !== read.undrifted) throw new Error(`bug: agent ${b.id} acts off its undrifted readout`);
          }
          const mis = drifter >= 0 && bufs[drifter]!.action[r] !== bufs[drifter]!.undrifted[r];
          if (mis && divergedAt < 0) {
            divergedAt = t;
            if (t !== conflict!.divergenceStep) {
              throw new Error(`bug: behaviour diverged at step ${t}, planted for ${conflict!.divergenceStep} (episode ${e})`);
            }
          }
          for (let a = 0; a < nA; a++) {
            const b = bufs[a]!;
            b.reward[r] = member[a] && mis ? 0 : 1;
            b.diverged[r] = member[a] && t === divergedAt ? 1 : 0;
          }
        }
        for (let a = 0; a < nA; a++) {
          const b = bufs[a]!;
          const k = b.held.length;
          for (let r = 0; r < rows; r++) for (let i = 0; i < k; i++) b.input[r * k + i] = b.copy[r * K + b.held[i]!]!;
          b.net.forward(b.input, rows, b.out, b.state);
          const n = rows * b.d;
          if (noise > 0) {
            const rng = rngN[a]!;
            for (let i = 0; i < n; i++) b.hidden[i] = b.out[i]! + noise * rng.normal();
          } else {
            for (let i = 0; i < n; i++) b.hidden[i] = b.out[i]!;
          }
        }
        done += rows;
        yield {
          rows,
          episode: episode.subarray(0, rows),
          step: step.subarray(0, rows),
          thoughts: base.subarray(0, rows * K),
          done,
          agents: bufs.map((b) => ({
            id: b.id,
            hiddenSize: b.d,
            hidden: b.hidden.subarray(0, rows * b.d),
            action: b.action.subarray(0, rows),
            reward: b.reward.subarray(0, rows),
            diverged: b.diverged.subarray(0, rows),
            thoughts: b.copy.subarray(0, rows * K),
          })),
        };
      }
      if (conflict && divergedAt < 0) throw new Error(`bug: planted conflict of episode ${e} never showed in behaviour`);
    }
  }

  private buildNetworks(): HiddenMap[] {
    const cfg = this.config;
    const K = this.structure.thoughtCount;
    // Calibration inputs: i.i.d. draws from the thoughts' stationary distribution.
    const rngC = rngFor(cfg.seed, STREAM.calibration);
    const proc = this.model.thoughtSource();
    const cal = new Float32Array(CALIBRATION_ROWS * K);
    for (let r = 0; r < CALIBRATION_ROWS; r++) {
      proc.reset();
      proc.step(rngC, cal, r * K);
    }
    return this.structure.agents.map((l, a) => {
      const k = l.thoughts.length;
      const input = new Float64Array(CALIBRATION_ROWS * k);
      for (let r = 0; r < CALIBRATION_ROWS; r++) for (let i = 0; i < k; i++) input[r * k + i] = cal[r * K + l.thoughts[i]!]!;
      return this.model.hiddenMap(a, input, CALIBRATION_ROWS);
    });
  }
}

function maskOf(ids: number[], n: number): Uint8Array {
  const m = new Uint8Array(n);
  for (const i of ids) m[i] = 1;
  return m;
}
