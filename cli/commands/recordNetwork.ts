// `thoughtlens record network`: N agents on a graph (one agent per node) solving one of the
// five AgentsNet tasks in synchronous rounds, with an injected fault in a share of the
// episodes; every node's state per round, its messages and action, per-edge events and the
// faults' ground truth (docs/NETWORKS.md, docs/FORMAT.md "Networks").
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { NotFoundError, UsageError } from '../../data/index.js';
import {
  FAULT_KINDS,
  GRAPH_FAMILIES,
  NETWORK_AGENTS,
  TASKS,
  generateGraph,
  graphFromEdgeList,
  isTaskName,
  makeNetworkAgent,
  recordNetwork,
  type FaultKind,
  type FaultPlan,
  type Graph,
} from '../../agents/network/index.js';
import { floatArg, intArg } from '../argParsers.js';
import { emit, type CliContext } from '../context.js';
import type { ActionFactory } from '../program.js';
import { ProgressBar } from '../progress.js';
import { recordOutDir } from './recordOutput.js';

interface NetworkFlags {
  task?: string;
  graph?: string;
  edges?: string;
  nodes?: number;
  graphSeed?: number;
  agent?: string;
  episodes?: number;
  fault?: string;
  faultShare?: number;
  verify?: boolean;
  seed?: number;
  policyUpdates?: number;
  policyHidden?: number;
  policySeed?: number;
  out?: string;
}

export const DEFAULT_NETWORK_FAULT = 'wrong-belief@random:random';

/** Parses 'kind@node:round[=value]' where node and round may be 'random'; 'none' gives null. */
export function parseFaultPlan(text: string, share?: number): FaultPlan | null {
  if (text.trim() === 'none') return null;
  const m = /^([a-z-]+)@(random|\d+):(random|\d+)(?:=(-?\d+))?$/.exec(text.trim());
  if (!m) throw new UsageError(`--fault must look like wrong-belief@NODE:ROUND or liar@NODE:ROUND[=VALUE] (NODE, ROUND a number or 'random'), or 'none'; got '${text}'`);
  if (!(FAULT_KINDS as readonly string[]).includes(m[1]!)) throw new UsageError(`--fault kind must be one of ${FAULT_KINDS.join(', ')}, got '${m[1]}'`);
  return {
    kind: m[1] as FaultKind,
    node: m[2] === 'random' ? 'random' : Number(m[2]),
    round: m[3] === 'random' ? 'random' : Number(m[3]),
    ...(m[4] !== undefined ? { value: Number(m[4]) } : {}),
    ...(share !== undefined ? { share } : {}),
  };
}

function loadGraph(flags: NetworkFlags, seed: number): { graph: Graph; info: Record<string, unknown> } {
  if (flags.edges !== undefined) {
    if (flags.graph !== undefined || flags.nodes !== undefined) throw new UsageError('give either --edges <file> or --graph/--nodes, not both');
    const file = resolve(flags.edges);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new NotFoundError(`graph file ${flags.edges} cannot be read`, { file });
    }
    return { graph: graphFromEdgeList(text, basename(file)), info: { file } };
  }
  const family = flags.graph ?? 'small-world';
  const n = flags.nodes ?? 16;
  const graphSeed = flags.graphSeed ?? seed;
  return { graph: generateGraph(family, n, graphSeed), info: { family, n, seed: graphSeed } };
}

export function recordNetworkSource(record: Command, action: ActionFactory): void {
  record
    .command('network')
    .description(
      'record N agents coordinating on a graph (one agent n<i> per node): one of the AgentsNet tasks in synchronous ' +
        'message-passing rounds (2·diameter + 1), one task instance per episode on the same graph. Every node state per ' +
        'round is recorded (the learned GRU hidden state, or the scripted protocol state vector), with its answer, belief, ' +
        'message, and the events disagree and accepted_unverified; a share of the episodes carries an injected fault. ' +
        'truth/ holds the graph and inputs (network.json), per-edge events (edges.arrows) and each fault with its spread ' +
        'against the same episode without it (faults.json).',
    )
    .option('--task <task>', `${TASKS.join(' | ')} (default consensus)`)
    .option('--graph <family>', `${GRAPH_FAMILIES.join(' | ')} (default small-world)`)
    .option('--nodes <n>', 'nodes of the generated graph (default 16)', intArg)
    .option('--graph-seed <n>', 'seed of the generated graph (default: --seed)', intArg)
    .option('--edges <file>', "your own graph instead: lines 'u v' (and optionally 'nodes N'), or JSON {nodes, edges: [[u, v], …]}")
    .option('--agent <kind>', `${NETWORK_AGENTS.join(' | ')}: scripted baselines, a learned GRU policy (trained here from --policy-seed; consensus and vertex-cover), or the baselines with the LLM-like failure mechanisms of docs/NETWORKS.md at their defaults (seeded by --policy-seed) (default scripted)`)
    .option('-n, --episodes <n>', 'episodes: task instances on the graph (default 200: enough that train can hold every 5th out)', intArg)
    .option('--fault <spec>', `kind@node:round[=value] with kind ${FAULT_KINDS.join(' | ')}, node and round a number or 'random' (per episode), or none (default ${DEFAULT_NETWORK_FAULT})`)
    .option('--fault-share <p>', 'share of episodes with the fault, spread evenly; the rest are clean (default 0.5)', floatArg)
    .option('--verify', 'nodes verify every message before acting on it (drop claims that contradict their origin)')
    .option('--seed <n>', 'seed of the instances and the fault draws (default 0)', intArg)
    .option('--policy-updates <n>', 'A2C updates of the GRU policy (default 800)', intArg)
    .option('--policy-hidden <n>', 'hidden size of the GRU policy (default 16)', intArg)
    .option('--policy-seed <n>', 'seed of the GRU policy training (default 1)', intArg)
    .option('-o, --out <run>', 'run id in the workspace, or a path to a new run folder (default: network-YYYYMMDD-HHMMSS)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  thoughtlens record network --task colouring --graph scale-free --nodes 16 --seed 1 --out col16\n' +
        '  thoughtlens record network --agent gru --nodes 100 --fault liar@random:random --out gru100\n' +
        '  thoughtlens record network --task leader-election --edges my-graph.txt --fault wrong-belief@3:1 --verify\n' +
        '  thoughtlens record network --task vertex-cover --agent gru --nodes 16 --out cover16\n' +
        '  thoughtlens train gru100 && thoughtlens detect gru100     # neighbour-pair dictionary, per-edge flags\n',
    )
    .action(
      action((ctx: CliContext, flags: NetworkFlags) => {
        const task = flags.task ?? 'consensus';
        if (!isTaskName(task)) throw new UsageError(`--task must be one of ${TASKS.join(', ')}, got '${task}'`);
        const seed = flags.seed ?? 0;
        const { graph, info } = loadGraph(flags, seed);
        const fault = parseFaultPlan(flags.fault ?? DEFAULT_NETWORK_FAULT, flags.faultShare);
        const episodes = flags.episodes ?? 200;
        const kind = flags.agent ?? 'scripted';
        const quiet = ctx.quiet || ctx.json;
        const train = {
          ...(flags.policyUpdates !== undefined ? { updates: flags.policyUpdates } : {}),
          ...(flags.policyHidden !== undefined ? { hidden: flags.policyHidden } : {}),
          ...(flags.policySeed !== undefined ? { seed: flags.policySeed } : {}),
        };
        let trainBar: ProgressBar | null = null;
        const agent = makeNetworkAgent(kind, task, train, (i) => {
          trainBar ??= new ProgressBar(ctx, { total: flags.policyUpdates ?? 800, label: 'train gru policy', unit: 'updates', quiet });
          trainBar.update(i.update, `batch success ${(100 * i.success).toFixed(0)}%`);
        });
        (trainBar as ProgressBar | null)?.finish();
        const { dir, id } = recordOutDir(ctx.workspace, flags.out, 'network');
        const bar = new ProgressBar(ctx, { total: episodes, label: 'record network', unit: 'ep', quiet });
        const res = recordNetwork(dir, {
          graph,
          graphInfo: info,
          task,
          protocol: agent.protocol,
          model: agent.model,
          hiddenDescription: agent.hiddenDescription,
          episodes,
          seed,
          fault,
          verify: Boolean(flags.verify),
          params: agent.params,
          onProgress: (p) => bar.update(p.episodes),
        });
        bar.finish();
        const clean = res.episodes.filter((e) => !e.faulty);
        const acted = res.faults.filter((f) => f.neighbourActedStep !== null);
        const stats = {
          nodes: graph.n,
          edges: graph.edges.length,
          rounds: res.episodes[0]?.rounds ?? 0,
          episodes: res.episodes.length,
          cleanSuccess: clean.length ? clean.filter((e) => e.success).length / clean.length : null,
          faults: res.faults.length,
          faultySuccess: res.faults.length ? res.faults.filter((f) => f.success).length / res.faults.length : null,
          neighbourActed: acted.length,
          meanMaxAffected: res.faults.length ? res.faults.reduce((s, f) => s + f.maxAffected, 0) / res.faults.length : null,
        };
        const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(0)}%`);
        emit(ctx, { id, dir: res.dir, task, agent: agent.model, graph: info, stats }, () =>
          [
            `recorded run ${id} (${res.dir})`,
            `${task} on ${info.family ?? info.file} (${graph.n} nodes, ${graph.edges.length} edges, ${stats.rounds} rounds) · agents ${agent.model}${flags.verify ? ' · verifying' : ''}`,
            `${stats.episodes} episodes: solved ${pct(stats.cleanSuccess)} of ${clean.length} clean, ${pct(stats.faultySuccess)} of ${stats.faults} with a fault` +
              (stats.faults ? ` (a neighbour acted on it in ${acted.length}; ${stats.meanMaxAffected!.toFixed(1)} nodes affected at most, on average)` : ''),
          ].join('\n'),
        );
      }),
    );
}
