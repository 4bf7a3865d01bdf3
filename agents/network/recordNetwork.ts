// Records a network of N agents as an N-agent run: one agent per node (ids n0…n{N-1}), one
// episode per task instance on the same graph (fresh uids and inputs per episode), steps
// 0…R: step t < R is a node's state when it sends round t's message (after an injected fault,
// before it hears round t), step R its final state. Each row holds the node's recorded state
// (the GRU hidden state, or the scripted protocol's state vector), its answer, belief, the
// message it sent, and two per-node events; the per-edge events go to truth/edges.arrows, the
// injected faults with their propagation (against the same episode without the fault) to
// truth/faults.json, and the graph and per-episode inputs to truth/network.json (docs/FORMAT.md,
// "Networks").
import { tableFromArrays } from 'apache-arrow';
import { createRun, UsageError, writeTruthJson, writeTruthTable, type AgentSpec, type ColumnSpec, type RunManifest } from '../../data/index.js';
import { makeRng } from '../../util/random.js';
import { edgeConflict } from './checkSolution.js';
import { FAULT_KINDS, type FaultKind, type FaultSpec } from './fault.js';
import { bfsDistances, type Graph } from './graph.js';
import { measurePropagation } from './propagation.js';
import type { Protocol } from './protocol.js';
import { runNetwork, type NetworkRun } from './runNetwork.js';
import { makeTaskInstance, type TaskInstance, type TaskName } from './task.js';
import { withBiasedInitial } from './trainConsensusPolicy.js';

export const NETWORK_FILE = 'network.json';
export const FAULTS_FILE = 'faults.json';
export const EDGES_FILE = 'edges.arrows';

/** A fault planned for the faulty episodes: node and round fixed, or drawn per episode. */
export interface FaultPlan {
  kind: FaultKind;
  node: number | 'random';
  /** 'random': uniform in 0…⌊(R−1)/2⌋, so there are rounds left to spread. */
  round: number | 'random';
  value?: number;
  /** Share of episodes with a fault, spread evenly (default 0.5; the others are clean reference). */
  share?: number;
}

export interface RecordNetworkOptions {
  graph: Graph;
  /** How the graph was made (family, size, seed, or a file), kept in source.params and truth. */
  graphInfo: Record<string, unknown>;
  task: TaskName;
  protocol: Protocol<unknown>;
  /** The model field of every agent (e.g. 'scripted:greedy-colouring', 'gru-16'). */
  model: string;
  /** What each hidden coordinate is, in words (docs and manifest). */
  hiddenDescription: string;
  episodes: number;
  seed?: number;
  fault?: FaultPlan | null;
  verify?: boolean;
  /** Extra source params (the learned policy's training config). */
  params?: Record<string, unknown>;
  onProgress?: (p: { episodes: number; total: number }) => void;
}

export interface NetworkFaultTruth {
  episode: number;
  kind: FaultKind;
  node: number;
  /** Step (= round) at which the fault starts: the node's state (wrong-belief) or message (liar) is wrong from here. */
  step: number;
  value: number;
  neighbours: number[];
  /** First step at which a neighbour's belief differs from the clean run (it acts on the fault), or null. */
  neighbourActedStep: number | null;
  /** First step any other node's belief differs from the clean run, or null. */
  firstAffectedStep: number | null;
  /** Per step 0…R: other nodes whose belief differs from the clean run. */
  affectedPerStep: number[];
  /** Per step: other nodes holding the wrong value where the clean run does not. */
  adoptedPerStep: number[];
  maxAffected: number;
  /** Largest hop distance from the faulty node of any node ever affected (0: none). */
  depth: number;
  answersChanged: number;
  success: boolean;
  cleanSuccess: boolean;
}

export interface NetworkEpisodeTruth {
  episode: number;
  seed: number;
  rounds: number;
  success: boolean;
  reason: string | null;
  faulty: boolean;
  uid: number[];
  initial: number[];
}

export interface RecordNetworkResult {
  dir: string;
  manifest: RunManifest;
  episodes: NetworkEpisodeTruth[];
  faults: NetworkFaultTruth[];
}

export function nodeId(node: number): string {
  return `n${node}`;
}

function columns(W: number): ColumnSpec[] {
  return [
    { name: 'action', type: 'int32', role: 'action', description: "the node's answer from this state (the task checker's input)" },
    { name: 'belief', type: 'int32', role: 'other', description: 'the value faults corrupt and propagation follows (colour, believed leader, agreed value, …)' },
    ...Array.from({ length: W }, (_, i): ColumnSpec => ({
      name: `msg${i}`,
      type: 'int32',
      role: 'other',
      description: `field ${i} of the message sent to every neighbour in this round (${i === 0 ? 'the claim' : 'protocol field'}; −1 at the final step)`,
    })),
    { name: 'adopted_from', type: 'int32', role: 'other', description: 'neighbour whose claim this node adopted in the previous round (−1: none)' },
    { name: 'rejected', type: 'int32', role: 'other', description: 'messages dropped by verification in the previous round' },
    { name: 'faulty', type: 'bool', role: 'other', description: 'this node carries the injected fault at this step' },
    { name: 'disagree', type: 'bool', role: 'event', description: "an edge of this node violates the task's constraint at this step (checkSolution.ts edgeConflict)" },
    { name: 'accepted_unverified', type: 'bool', role: 'event', description: 'in the previous round this node adopted a claim that verification would have refused' },
  ];
}

function validate(o: RecordNetworkOptions): { share: number } {
  if (!Number.isInteger(o.episodes) || o.episodes < 1) throw new UsageError(`episodes must be a positive integer, got ${o.episodes}`);
  if (o.protocol.task !== o.task) throw new UsageError(`protocol ${o.protocol.name} solves ${o.protocol.task}, not ${o.task}`);
  const f = o.fault;
  if (!f) return { share: 0 };
  if (!(FAULT_KINDS as readonly string[]).includes(f.kind)) throw new UsageError(`fault kind must be one of ${FAULT_KINDS.join(', ')}, got '${f.kind}'`);
  if (f.node !== 'random' && (!Number.isInteger(f.node) || f.node < 0 || f.node >= o.graph.n)) {
    throw new UsageError(`fault node must be a node in 0..${o.graph.n - 1} or 'random', got ${f.node}`);
  }
  const share = f.share ?? 0.5;
  if (!Number.isFinite(share) || share < 0 || share > 1) throw new UsageError(`fault share must be in [0, 1], got ${share}`);
  return { share };
}

export function episodeSeed(seed: number, episode: number): number {
  return (Math.imul(seed | 0, 0x3c6ef372) + Math.imul(episode + 1, 0x6c8e9cf5)) | 0;
}

/** The instance of one episode: the graph, uids and inputs seeded by (seed, episode); binary inputs of a random bias for consensus. */
export function episodeInstance(task: TaskName, graph: Graph, seed: number, episode: number): TaskInstance {
  const s = episodeSeed(seed, episode);
  const inst = makeTaskInstance(task, graph, s);
  return task === 'consensus' ? withBiasedInitial(inst, s) : inst;
}

export function recordNetwork(dir: string, o: RecordNetworkOptions): RecordNetworkResult {
  const { share } = validate(o);
  const seed = o.seed ?? 0;
  const g = o.graph;
  const n = g.n;
  const P = o.protocol;
  const W = P.messageWidth;
  const H = P.hiddenSize;
  const verify = o.verify ?? false;
  const faultRng = makeRng((seed ^ 0x5bd1e995) >>> 0);
  // Round of a random fault is drawn against the instance's rounds; all episodes share the graph, so R is fixed.
  const probe = episodeInstance(o.task, g, seed, 0);
  const R = probe.rounds;
  if (o.fault && o.fault.round !== 'random' && (!Number.isInteger(o.fault.round) || o.fault.round < 0 || o.fault.round >= R)) {
    throw new UsageError(`fault round must be a round in 0..${R - 1} (this graph runs ${R} rounds: 2·diameter + 1) or 'random', got ${o.fault.round}`);
  }
  const cols = columns(W);
  const agents: AgentSpec[] = Array.from({ length: n }, (_, u) => ({ id: nodeId(u), hiddenSize: H, model: o.model, layer: P.name === 'gru-consensus' ? 'gru.h' : 'state-vector', columns: cols }));
  const writer = createRun(dir, {
    source: {
      kind: 'network',
      params: {
        task: o.task,
        protocol: P.name,
        graph: o.graphInfo,
        nodes: n,
        edges: g.edges.length,
        rounds: R,
        diameter: probe.diameter,
        episodes: o.episodes,
        seed,
        verify,
        fault: o.fault ? { ...o.fault, share } : null,
        hidden: o.hiddenDescription,
        steps: `0…${R}: step t < ${R} is the state a node sends round t's message from; step ${R} the final state`,
        ...(o.params ?? {}),
      },
    },
    agents,
  });
  const episodes: NetworkEpisodeTruth[] = [];
  const faults: NetworkFaultTruth[] = [];
  const edgeCols = { episode: [] as number[], step: [] as number[], from: [] as number[], to: [] as number[], disagree: [] as boolean[], adopted: [] as boolean[], invalid_claim: [] as boolean[], accepted_unverified: [] as boolean[], dropped: [] as boolean[] };
  try {
    for (let e = 0; e < o.episodes; e++) {
      const inst = episodeInstance(o.task, g, seed, e);
      const faulty = o.fault != null && Math.floor((e + 1) * share) > Math.floor(e * share);
      let run: NetworkRun;
      let spec: FaultSpec | null = null;
      if (faulty) {
        const f = o.fault!;
        spec = {
          kind: f.kind,
          node: f.node === 'random' ? faultRng.int(n) : f.node,
          round: f.round === 'random' ? faultRng.int(Math.floor((R - 1) / 2) + 1) : f.round,
          ...(f.value !== undefined ? { value: f.value } : {}),
        };
        const prop = measurePropagation(inst, P, spec, verify, true);
        run = prop.faulty;
        const per = (xs: number[]) => [0, ...xs];
        const neighbours = [...g.neighbours[spec.node]!];
        let acted: number | null = null;
        for (let t = 0; t < R && acted === null; t++) {
          if (neighbours.some((v) => prop.faulty.beliefHistory[t * n + v] !== prop.clean.beliefHistory[t * n + v])) acted = t + 1;
        }
        const dist = bfsDistances(g, spec.node);
        let depth = 0;
        for (let t = 0; t < R; t++) {
          for (let v = 0; v < n; v++) {
            if (v !== spec.node && prop.faulty.beliefHistory[t * n + v] !== prop.clean.beliefHistory[t * n + v]) depth = Math.max(depth, dist[v]!);
          }
        }
        faults.push({
          episode: e,
          kind: spec.kind,
          node: spec.node,
          step: spec.round,
          value: run.fault!.value,
          neighbours,
          neighbourActedStep: acted,
          firstAffectedStep: prop.firstAffectedRound >= 0 ? prop.firstAffectedRound + 1 : null,
          affectedPerStep: per(prop.affected),
          adoptedPerStep: per(prop.adopted),
          maxAffected: prop.maxAffected,
          depth,
          answersChanged: prop.answersChanged,
          success: prop.success,
          cleanSuccess: prop.cleanSuccess,
        });
      } else {
        run = runNetwork(inst, P, { verify, trace: true });
      }
      episodes.push({ episode: e, seed: episodeSeed(seed, e), rounds: R, success: run.check.ok, reason: run.check.reason ?? null, faulty, uid: [...inst.uid], initial: [...inst.initial] });
      appendEpisode(writer, run, e, spec, R, verify, edgeCols);
      writer.flush();
      o.onProgress?.({ episodes: e + 1, total: o.episodes });
    }
    const files = [
      writeTruthJson(writer.dir, NETWORK_FILE, {
        format: 'thoughtlens-network',
        version: 1,
        task: o.task,
        protocol: P.name,
        graph: { ...o.graphInfo, n, edges: g.edges.map(([u, v]) => [u, v]) },
        agents: Array.from({ length: n }, (_, u) => nodeId(u)),
        rounds: R,
        diameter: probe.diameter,
        colours: probe.colours,
        values: probe.values,
        verify,
        hidden: o.hiddenDescription,
        perEpisode: episodes,
      }),
      writeTruthJson(writer.dir, FAULTS_FILE, {
        format: 'thoughtlens-network-faults',
        version: 1,
        description:
          'one entry per faulty episode: the faulty node, the step its fault starts, and its spread against the same episode run without the fault ' +
          '(neighbourActedStep: first step a neighbour of the faulty node holds another belief than in the clean run)',
        plan: o.fault ? { ...o.fault, share } : null,
        verify,
        faults,
      }),
      writeTruthTable(writer.dir, EDGES_FILE, tableFromArrays({
        episode: Int32Array.from(edgeCols.episode),
        step: Int32Array.from(edgeCols.step),
        from: Int32Array.from(edgeCols.from),
        to: Int32Array.from(edgeCols.to),
        disagree: edgeCols.disagree,
        adopted: edgeCols.adopted,
        invalid_claim: edgeCols.invalid_claim,
        accepted_unverified: edgeCols.accepted_unverified,
        dropped: edgeCols.dropped,
      })),
    ];
    writer.addTruthFiles(files);
  } catch (err) {
    writer.abort(`recording failed: ${(err as Error).message}`);
    throw err;
  }
  writer.close();
  return { dir: writer.dir, manifest: writer.manifest, episodes, faults };
}

type EdgeCols = { episode: number[]; step: number[]; from: number[]; to: number[]; disagree: boolean[]; adopted: boolean[]; invalid_claim: boolean[]; accepted_unverified: boolean[]; dropped: boolean[] };

function appendEpisode(writer: ReturnType<typeof createRun>, run: NetworkRun, e: number, fault: FaultSpec | null, R: number, verify: boolean, ec: EdgeCols): void {
  const inst = run.instance;
  const n = inst.graph.n;
  const H = run.trace[0]!.sendHidden.length / n;
  const W = run.trace[0]!.messages.length / n;
  const E = run.edgeList;
  const T = R + 1;
  // Per node, the episode's T rows at once (one append per node per episode).
  const hidden = Array.from({ length: n }, () => new Float32Array(T * H));
  const int = () => Array.from({ length: n }, () => new Int32Array(T));
  const bool = () => Array.from({ length: n }, () => new Array<boolean>(T).fill(false));
  const action = int();
  const belief = int();
  const msgs = Array.from({ length: W }, int);
  const adoptedFrom = int();
  const rejected = int();
  const faulty = bool();
  const disagree = bool();
  const unverifiedNode = bool();
  for (let t = 0; t < T; t++) {
    const tr = t < R ? run.trace[t]! : null;
    const prev = t > 0 ? run.trace[t - 1]! : null;
    const hid = tr ? tr.sendHidden : prev!.hidden;
    const answers = tr ? tr.sendAnswers : prev!.answers;
    const beliefs = tr ? tr.sendBeliefs : prev!.beliefs;
    E.forEach(([u, v], i) => {
      const dis = edgeConflict(inst.task, u, v, answers, beliefs);
      const adopted = prev ? prev.edgeAdopted[i] === 1 : false;
      const invalid = prev ? prev.edgeInvalid[i] === 1 : false;
      const unverified = adopted && invalid && !verify;
      if (dis) disagree[u]![t] = disagree[v]![t] = true;
      if (unverified) unverifiedNode[v]![t] = true;
      ec.episode.push(e);
      ec.step.push(t);
      ec.from.push(u);
      ec.to.push(v);
      ec.disagree.push(dis);
      ec.adopted.push(adopted);
      ec.invalid_claim.push(invalid);
      ec.accepted_unverified.push(unverified);
      ec.dropped.push(verify && invalid);
    });
    for (let u = 0; u < n; u++) {
      hidden[u]!.set(hid.subarray(u * H, (u + 1) * H), t * H);
      action[u]![t] = answers[u]!;
      belief[u]![t] = beliefs[u]!;
      for (let i = 0; i < W; i++) msgs[i]![u]![t] = tr ? tr.messages[u * W + i]! : -1;
      adoptedFrom[u]![t] = prev ? prev.adoptedFrom[u]! : -1;
      rejected[u]![t] = prev ? prev.rejected[u]! : 0;
      faulty[u]![t] = fault !== null && fault.node === u && t >= fault.round;
    }
  }
  const episode = new Int32Array(T).fill(e);
  const step = Int32Array.from({ length: T }, (_, t) => t);
  for (let u = 0; u < n; u++) {
    const msg: Record<string, Int32Array> = {};
    for (let i = 0; i < W; i++) msg[`msg${i}`] = msgs[i]![u]!;
    writer.append(nodeId(u), {
      episode,
      step,
      hidden: hidden[u]!,
      columns: {
        action: action[u]!,
        belief: belief[u]!,
        ...msg,
        adopted_from: adoptedFrom[u]!,
        rejected: rejected[u]!,
        faulty: faulty[u]!,
        disagree: disagree[u]!,
        accepted_unverified: unverifiedNode[u]!,
      },
    });
  }
}
