// `thoughtlens record synthetic`: paired agents whose hidden states are a random invertible
// mixing of known latent thoughts, with planted conflicts; the truth is written with the run.
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UsageError, runDirFor } from '../../data/index.js';
import { SYNTHETIC_FAMILIES, recordSynthetic, resolveSyntheticConfig, type SyntheticConfig } from '../../agents/index.js';
import { emit, type CliContext } from '../context.js';
import { formatBytes } from '../format.js';
import type { ActionFactory } from '../program.js';
import { ProgressBar } from '../progress.js';
import { recordOutDir } from './recordOutput.js';
import { floatArg as float, intArg as int } from '../argParsers.js';

interface SyntheticFlags {
  out?: string;
  config?: string;
  family?: string;
  familyParams?: Record<string, number>;
  agents?: string[];
  dims?: number[];
  shared?: number;
  private?: number;
  groups?: string;
  episodes?: number;
  steps?: number;
  depth?: number;
  width?: number;
  noise?: number;
  scale?: number;
  sparsity?: number;
  persistence?: number;
  conflicts?: number;
  lag?: number;
  driftSpeed?: number;
  driftThoughts?: number;
  conflictAgent?: string;
  seed?: number;
}

export function recordSyntheticSource(record: Command, action: ActionFactory): void {
  record
    .command('synthetic')
    .summary('paired agents with known latent thoughts and planted conflicts; the truth is written with the run')
    .description(
      'record paired agents with known latent structure: latent "thoughts" split into shared and private groups, ' +
        'each agent\'s hidden state made from its own copy of its thoughts plus noise by the chosen --family ' +
        '(default: a random invertible nonlinear mixing); ' +
        'in some episodes one agent\'s copy of shared thoughts drifts (a planted conflict) and its actions diverge ' +
        'exactly --lag steps later. The truth (structure, latents, conflicts) is written under truth/ in the run.',
    )
    .option('-o, --out <run>', 'run id in the workspace, or a path to a new run folder (default: synthetic-YYYYMMDD-HHMMSS)')
    .option('--config <file>', 'JSON file with a SyntheticConfig; flags given here override it')
    .option('--family <name>', `generator family: ${SYNTHETIC_FAMILIES.map((f) => f.name).join(', ')} (default mixing; see below)`)
    .option('--family-params <k=v,...>', 'the family\'s own parameters, e.g. leak=0.4 (see below)', keyValues)
    .option('--agents <ids>', 'agent ids, comma-separated (default A,B)', list)
    .option('--dims <sizes>', 'hidden size per agent, comma-separated, or one size for all (default 64)', intList)
    .option('--shared <n>', 'thoughts shared by all agents (default 8)', int)
    .option('--private <n>', 'private thoughts per agent (default 4)', int)
    .option('--groups <json>', 'sharing structure as JSON [{"name","agents":[...],"size"}], instead of --shared/--private')
    .option('--episodes <n>', 'episodes (default 64)', int)
    .option('--steps <n>', 'steps per episode (default 200)', int)
    .option('--depth <n>', 'mixing layers, ≥ 1 (default 2)', int)
    .option('--width <n>', 'inner width of the mixing (default min(d, max(32, 4 × thoughts)))', int)
    .option('--noise <std>', 'Gaussian noise added to hidden states (default 0.02)', float)
    .option('--scale <x>', 'RMS of the mixing\'s pre-activations: larger is more nonlinear (default 1)', float)
    .option('--sparsity <p>', 'probability that a thought is active at a step (default 0.1)', float)
    .option('--persistence <steps>', 'mean length of a thought\'s active run (default 8)', float)
    .option('--conflicts <fraction>', 'fraction of episodes with a planted conflict (default 0.25; 0 for none)', float)
    .option('--lag <steps>', 'steps from a conflict\'s onset to the behavioural divergence (default 10)', int)
    .option('--drift-speed <x>', 'drift added per step to each drifting thought (default 0.05)', float)
    .option('--drift-thoughts <n>', 'how many shared thoughts drift in a conflict (default 2)', int)
    .option('--conflict-agent <id>', 'the agent whose copy drifts (default: drawn per conflict)')
    .option('--seed <n>', 'random seed; the same config and seed give identical streams (default 0)', int)
    .addOption(new Option('--chunk-rows <n>', 'steps generated per chunk').argParser(int).hideHelp())
    .addHelpText(
      'after',
      '\nFamilies (every family writes the same run format and truth files):\n' +
        SYNTHETIC_FAMILIES.map(
          (f) =>
            wrap(`${f.name.padEnd(19)}${f.summary}`, 2, 21) +
            Object.entries(f.params)
              .map(([k, v]) => wrap(`${k}: ${v}`, 23, 25))
              .join(''),
        ).join('') +
        '  (params: --family-params k=v,… or {"family": {"name", "params"}} in --config)\n' +
        '\nExamples:\n' +
        '  thoughtlens record synthetic\n' +
        '  thoughtlens record synthetic --episodes 500 --steps 200 --dims 256,256 --seed 7 --out syn-256\n' +
        '  thoughtlens record synthetic --family recurrent --family-params leak=0.4 --seed 3\n' +
        '  thoughtlens record synthetic --family heavy-tailed --agents A,B --seed 5   # hidden sizes 48 and 80\n' +
        '  thoughtlens record synthetic --family superposed --shared 16 --private 8 --seed 2   # 24 thoughts per agent in 16 dims\n' +
        '  thoughtlens record synthetic --agents A,B,C --dims 64 --groups \'[{"name":"all","agents":["A","B","C"],"size":4},' +
        '{"name":"AB","agents":["A","B"],"size":4},{"name":"BC","agents":["B","C"],"size":4},{"name":"pA","agents":["A"],"size":3}]\'\n',
    )
    .action(
      action(async (ctx: CliContext, flags: SyntheticFlags & { chunkRows?: number }) => {
        const config = syntheticConfigFromFlags(flags);
        const resolved = resolveSyntheticConfig(config); // fail on a bad config before making a folder
        const { dir, id } = recordOutDir(ctx.workspace, flags.out, 'synthetic');
        const total = resolved.episodes * resolved.steps;
        const bar = new ProgressBar(ctx, { total, label: 'recording synthetic', unit: 'steps', quiet: ctx.quiet });
        const stop = new AbortController();
        const onSigint = () => stop.abort();
        process.once('SIGINT', onSigint);
        let result;
        try {
          result = await recordSynthetic(dir, config, {
            id,
            chunkRows: flags.chunkRows,
            signal: stop.signal,
            onProgress: (done) => bar.update(done),
          });
        } finally {
          process.off('SIGINT', onSigint);
        }
        bar.finish();
        const m = result.manifest;
        const bytes = Object.values(m.counts).reduce((s, c) => s + c.bytes, 0);
        const summary = {
          id: m.id,
          dir: result.dir,
          status: m.status,
          steps: result.steps,
          episodes: resolved.episodes,
          stepsPerEpisode: resolved.steps,
          seconds: result.seconds,
          bytes,
          agents: m.agents.map((a) => ({ id: a.id, hiddenSize: a.hiddenSize, rows: m.counts[a.id]?.rows ?? 0 })),
          truth: result.truth,
          family: resolved.family,
          seed: resolved.seed,
        };
        emit(ctx, summary, () =>
          [
            `recorded synthetic run ${m.id} (family ${resolved.family.name}): ${result.steps} steps × ${m.agents.length} agents, ${formatBytes(bytes)} in ${result.seconds.toFixed(1)} s`,
            `  → ${result.dir}`,
            `  agents   ${m.agents.map((a) => `${a.id}(d=${a.hiddenSize})`).join(' ')}`,
            `  thoughts ${result.truth.groups.map((g) => `${g.name} ${g.size} [${g.agents.join(',')}]`).join(', ')}`,
            `  planted conflicts: ${result.truth.conflicts} of ${resolved.episodes} episodes, behaviour diverges ${result.truth.lag} steps after onset`,
            `  ground truth: ${result.truth.files.join(', ')}`,
            `next: thoughtlens inspect ${result.dir === runDirFor(ctx.workspace, m.id) ? m.id : result.dir}`,
          ].join('\n'),
        );
      }),
    );
}

/** Builds the config: the --config file first, then every flag given on top of it. */
export function syntheticConfigFromFlags(flags: SyntheticFlags): SyntheticConfig {
  const cfg: SyntheticConfig = flags.config ? readConfigFile(flags.config) : {};
  if (flags.family !== undefined || flags.familyParams !== undefined) {
    const prev = typeof cfg.family === 'string' ? { name: cfg.family } : cfg.family;
    const name = flags.family ?? prev?.name ?? 'mixing';
    const params = flags.family === undefined || flags.family === prev?.name ? { ...prev?.params } : {};
    cfg.family = { name, params: { ...params, ...flags.familyParams } };
  }
  if (flags.agents || flags.dims) {
    const fromFile = (cfg.agents ?? []).map((a) => (typeof a === 'string' ? { id: a } : a));
    const ids = flags.agents ?? (fromFile.length ? fromFile.map((a) => a.id) : ['A', 'B']);
    const dims = flags.dims;
    if (dims && dims.length !== 1 && dims.length !== ids.length) {
      throw new UsageError(`--dims gives ${dims.length} sizes for ${ids.length} agents (${ids.join(',')}): give one size, or one per agent`);
    }
    cfg.agents = ids.map((id, i) => {
      const prev = fromFile.find((a) => a.id === id);
      return { ...prev, id, ...(dims ? { hiddenSize: dims.length === 1 ? dims[0]! : dims[i]! } : {}) };
    });
  }
  if (flags.groups !== undefined) {
    try {
      cfg.groups = JSON.parse(flags.groups) as SyntheticConfig['groups'];
    } catch (err) {
      throw new UsageError(`--groups is not valid JSON: ${(err as Error).message}`);
    }
    delete cfg.shared;
    delete cfg.private;
  }
  if (flags.shared !== undefined || flags.private !== undefined) {
    if (flags.groups !== undefined) throw new UsageError('give either --groups or --shared/--private, not both');
    delete cfg.groups;
    if (flags.shared !== undefined) cfg.shared = flags.shared;
    if (flags.private !== undefined) cfg.private = flags.private;
  }
  if (flags.episodes !== undefined) cfg.episodes = flags.episodes;
  if (flags.steps !== undefined) cfg.steps = flags.steps;
  if (flags.seed !== undefined) cfg.seed = flags.seed;
  const mixing = { ...cfg.mixing };
  if (flags.depth !== undefined) mixing.depth = flags.depth;
  if (flags.width !== undefined) mixing.width = flags.width;
  if (flags.noise !== undefined) mixing.noise = flags.noise;
  if (flags.scale !== undefined) mixing.scale = flags.scale;
  if (Object.keys(mixing).length) cfg.mixing = mixing;
  const thoughts = { ...cfg.thoughts };
  if (flags.sparsity !== undefined) thoughts.sparsity = flags.sparsity;
  if (flags.persistence !== undefined) thoughts.persistence = flags.persistence;
  if (Object.keys(thoughts).length) cfg.thoughts = thoughts;
  const conflicts = { ...cfg.conflicts };
  if (flags.conflicts !== undefined) conflicts.fraction = flags.conflicts;
  if (flags.lag !== undefined) conflicts.lag = flags.lag;
  if (flags.driftSpeed !== undefined) conflicts.speed = flags.driftSpeed;
  if (flags.driftThoughts !== undefined) conflicts.thoughts = flags.driftThoughts;
  if (flags.conflictAgent !== undefined) conflicts.agent = flags.conflictAgent;
  if (Object.keys(conflicts).length) cfg.conflicts = conflicts;
  return cfg;
}

function readConfigFile(file: string): SyntheticConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --config file: ${(err as Error).message}`, { file });
  }
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('the top level must be an object');
    return json as SyntheticConfig;
  } catch (err) {
    throw new UsageError(`--config file is not a valid config: ${(err as Error).message}`, { file });
  }
}



function list(v: string): string[] {
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list');
  return items;
}

/** Word-wraps `text` to 100 columns: first line indented by `first`, the rest by `rest`. */
function wrap(text: string, first: number, rest: number): string {
  const lines: string[] = [];
  let line = ' '.repeat(first);
  for (const word of text.split(' ')) {
    if (line.trim() && line.length + 1 + word.length > 100) {
      lines.push(line);
      line = ' '.repeat(rest) + word;
    } else line += (line.trim() ? ' ' : '') + word;
  }
  return lines.concat(line).join('\n') + '\n';
}

function keyValues(v: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of list(v)) {
    const m = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(item);
    if (!m || !Number.isFinite(Number(m[2]))) throw new InvalidArgumentError(`expected key=number pairs, got '${item}'`);
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

function intList(v: string): number[] {
  return list(v).map(int);
}
