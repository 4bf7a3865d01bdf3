// `thoughtlens agents train|eval`: the built-in iterated-prisoner's-dilemma agents.
import { resolve, join } from 'node:path';
import { Option } from 'commander';
import { UsageError } from '../../data/index.js';
import {
  STAGES,
  evaluatePair,
  evaluateSwitch,
  evaluateVsStyles,
  findCheckpoint,
  trainPlannerToCheckpoints,
  trainToCheckpoints,
  type Checkpoint,
  type PlannerIteration,
  type PlannerStage,
  type Stage,
  type UpdateInfo,
} from '../../agents/ipd/index.js';
import { loadPool } from '../../agents/pool/index.js';
import { emit, type CliContext } from '../context.js';
import { table } from '../format.js';
import type { CommandModule } from '../program.js';
import { ProgressBar } from '../progress.js';
import { registerStrangerCommands } from './agentsStrangers.js';
import { floatArg as float, intArg as int } from '../argParsers.js';

interface TrainFlags {
  stage: string;
  agent: string;
  depth?: number;
  explore?: number;
  selfPlay?: number;
  seed?: number;
  steps?: number;
  episodes?: number;
  out?: string;
  from?: string;
  with?: string;
  arch?: string;
  hidden?: number;
  algo?: string;
  lr?: number;
  gamma?: number;
  entropy?: number;
  initCoop?: number;
  saveEvery?: number;
  pool?: string;
}

interface EvalFlags {
  pool?: string;
  episodes?: number;
  seed?: number;
  with?: string;
  switch?: string;
}

const DEFAULT_UPDATES: Record<Stage, number> = { '1': 600, '2': 200, '3': 200, mixed: 600, selfplay: 600, identity: 600 };

export const agentsCommand: CommandModule = {
  register(program, action) {
    const agents = program
      .command('agents')
      .description("built-in paired agents: GRU / causal-transformer learners in the iterated prisoner's dilemma");
    agents
      .command('train')
      .description(
        'train agents in stages: 1 = co-player inference against the pool; 2 = a learner against the frozen ' +
          'stage-1 agent (extortion) and the pool; 3 = two learners against each other and the pool (mutual shaping). ' +
          'From scratch: mixed (two fresh learners, each other + pool), and the ablations selfplay (each other only) ' +
          'and identity (co-player id as an input). Checkpoints go to --out/<arch>-<stage name>.',
      )
      .addOption(new Option('--stage <s>', 'stage').choices([...STAGES]).default('1'))
      .addOption(
        new Option(
          '--agent <kind>',
          'a2c: a GRU/transformer policy trained by policy gradient; planner: a GRU/transformer that predicts the co-player (supervised) ' +
            'and a policy that plans with it, improved by collect → refit iterations (stages 1, mixed, selfplay, identity)',
        )
          .choices(['a2c', 'planner'])
          .default('a2c'),
      )
      .option('--seed <n>', 'seed of initialisation, pairing and moves (default 1)', int)
      .option('--steps <n>', 'parameter updates (default: 600 for 1/mixed/selfplay/identity, 200 for 2/3); planner: iterations (default 10)', int)
      .option('--episodes <n>', 'parallel 100-round episodes per update (default 96; split over tables); planner: per iteration (default 264)', int)
      .option('-o, --out <dir>', 'folder for the checkpoints (default <workspace>/agents)')
      .option('--from <ckpt>', 'stage 2: the in-context learner to freeze; stage 3: learner A (path or shipped name)')
      .option('--with <ckpt>', 'stage 3: learner B (path or shipped name)')
      .addOption(new Option('--arch <a>', 'fresh learners: architecture').choices(['gru', 'transformer']).default('gru'))
      .option('--hidden <n>', 'fresh learners: hidden size (default 32)', int)
      .addOption(new Option('--algo <a>', 'a2c or ppo (default a2c: measured faster to a good policy here)').choices(['a2c', 'ppo']))
      .option('--lr <x>', 'Adam learning rate (default 3e-3)', float)
      .option('--gamma <x>', 'discount (default 0.98)', float)
      .option('--entropy <x>', 'entropy bonus (default 0.01)', float)
      .option('--init-coop <p>', "fresh learners' initial P(cooperate), e.g. 0.15 for a defecting start", float)
      .option('--save-every <n>', 'also save <name>@<update> every n updates', int)
      .option('--depth <n>', 'planner: own moves searched ahead before the value head takes over (default 2)', int)
      .option('--explore <p>', 'planner: probability of a random move while collecting (default 0.1)', float)
      .option('--self-play <p>', 'planner, stage 1: share of collected episodes played against a copy of itself instead of the pool (default 0)', float)
      .option('--pool <file.json>', 'co-player pool (default: the shipped pool; styles with "heldOut": true are not trained on, "weight": k deals a style k× as often; docs/POOL.md)')
      .addHelpText('after', '\nExamples:\n  thoughtlens agents train --stage 1 --seed 1 --out ckpts\n  thoughtlens agents train --agent planner --stage 1 --seed 1 --out ckpts\n  thoughtlens agents train --agent planner --arch transformer --stage 1 --out ckpts\n  thoughtlens agents train --stage 2 --from ckpts/gru-stage1 --out ckpts\n  thoughtlens agents train --stage 3 --from ckpts/gru-stage1 --with ckpts/gru-stage2 --out ckpts\n')
      .action(
        action((ctx: CliContext, flags: TrainFlags) => {
          const stage = flags.stage as Stage;
          const pool = loadPool(flags.pool);
          if (flags.agent === 'planner') return trainPlannerCommand(ctx, stage, flags, pool);
          const need = (ref: string | undefined, flag: string): Checkpoint | undefined => {
            if (ref === undefined) return undefined;
            const c = findCheckpoint(ref);
            if (!c) throw new UsageError(`${flag} '${ref}' is neither a checkpoint folder nor a shipped checkpoint`);
            return c;
          };
          const a = need(flags.from, '--from');
          const b = need(flags.with, '--with');
          if (stage === '2' && !a) throw new UsageError('stage 2 needs --from <stage-1 checkpoint>');
          if (stage === '3' && (!a || !b)) throw new UsageError('stage 3 needs --from <learner A> and --with <learner B>');
          const updates = flags.steps ?? DEFAULT_UPDATES[stage];
          const outDir = resolve(flags.out ?? join(ctx.workspace, 'agents'));
          const bar = new ProgressBar(ctx, { total: updates, label: `stage ${stage}`, unit: 'upd', quiet: ctx.quiet || ctx.json });
          const command = `thoughtlens agents train ${process.argv.slice(process.argv.indexOf('train') + 1).join(' ')}`.trim();
          const out = trainToCheckpoints(
            {
              stage,
              pool,
              outDir,
              seed: flags.seed ?? 1,
              arch: (flags.arch as 'gru' | 'transformer') ?? 'gru',
              ...(flags.hidden !== undefined ? { hidden: flags.hidden } : {}),
              ...(flags.episodes !== undefined ? { episodes: flags.episodes } : {}),
              ...(a ? { a: a.model } : {}),
              ...(b ? { b: b.model } : {}),
              ...(flags.initCoop !== undefined ? { initCoop: flags.initCoop } : {}),
              ...(flags.saveEvery !== undefined ? { saveEvery: flags.saveEvery } : {}),
              prefix: a && stage !== 'mixed' ? a.model.cfg.arch : (flags.arch ?? 'gru'),
              command,
              train: {
                updates,
                ...(flags.algo ? { algo: flags.algo as 'a2c' | 'ppo' } : {}),
                ...(flags.lr !== undefined ? { lr: flags.lr } : {}),
                ...(flags.gamma !== undefined ? { gamma: flags.gamma } : {}),
                ...(flags.entropy !== undefined ? { entropyCoef: flags.entropy } : {}),
              },
            },
            (u) => bar.update(u.update, groupStatus(u)),
          );
          bar.finish(out.last ? groupStatus(out.last) : '');
          const r = out.result;
          emit(
            ctx,
            { stage, checkpoints: out.checkpoints, seconds: r.seconds, agentSteps: r.agentSteps, agentStepsPerSecond: r.agentSteps / r.seconds, last: out.last },
            () =>
              [
                `stage ${stage}: ${updates} updates in ${r.seconds.toFixed(1)} s (${Math.round(r.agentSteps / r.seconds)} agent-steps/s)`,
                ...(out.last ? [groupTable(out.last)] : []),
                'checkpoints:',
                ...out.checkpoints.map((c) => `  ${c}`),
              ].join('\n'),
          );
        }),
      );

    agents
      .command('eval')
      .argument('<ckpt>', 'checkpoint folder or shipped checkpoint name (e.g. gru-stage3-a)')
      .description(
        'behaviour of an agent: cooperation per co-player style (whole episode and the last 20% of rounds), ' +
          'reward, rounds to adapt, a mid-episode style switch, and play against another learner (--with, default itself)',
      )
      .option('--pool <file.json>', 'co-player pool (default: the shipped pool)')
      .option('--episodes <n>', 'episodes per style (default 200)', int)
      .option('--seed <n>', 'seed (default 12345)', int)
      .option('--with <ckpt>', 'a second learner to play against (default: a copy of the agent itself)')
      .option('--switch <from:to>', 'mid-episode switch to test (default tit-for-tat:always-defect at round 50)')
      .action(
        action((ctx: CliContext, ref: string, flags: EvalFlags) => {
          const ck = findCheckpoint(ref);
          if (!ck) throw new UsageError(`'${ref}' is neither a checkpoint folder nor a shipped checkpoint`);
          const pool = loadPool(flags.pool);
          const opts = { ...(flags.episodes !== undefined ? { episodes: flags.episodes } : {}), ...(flags.seed !== undefined ? { seed: flags.seed } : {}) };
          const styles = evaluateVsStyles(ck.model, pool, opts);
          const [from, to] = (flags.switch ?? 'tit-for-tat:always-defect').split(':') as [string, string];
          const sw = evaluateSwitch(ck.model, pool, from, to ?? 'always-defect', opts);
          const other = flags.with ? findCheckpoint(flags.with) : ck;
          if (!other) throw new UsageError(`--with '${flags.with}' is neither a checkpoint folder nor a shipped checkpoint`);
          const pair = evaluatePair(ck.model, other.model, pool.styles.length, opts);
          emit(
            ctx,
            { checkpoint: ck.dir, name: ck.info.name, stage: ck.info.stage, styles, switch: sw, pair: { with: other.info.name, ...pair } },
            () =>
              [
                `${ck.info.name} (stage ${ck.info.stage}, ${ck.model.cfg.arch} ${ck.model.cfg.hidden})`,
                table(
                  ['style', 'group', 'held out', 'coop', 'late coop', 'reward', 'adapt (rounds)'],
                  styles.map((s) => [s.style, s.group, s.heldOut ? 'yes' : '', s.coop.toFixed(2), s.lateCoop.toFixed(2), s.reward.toFixed(2), s.adaptRounds]),
                ),
                `switch ${sw.from} → ${sw.to} at round ${sw.switchAt}: coop ${sw.coopBefore.toFixed(2)} → ${sw.coopAfter.toFixed(2)}, settled after ${sw.adaptRounds} rounds`,
                `vs ${other.info.name}: coop ${pair.coopA.toFixed(2)} / ${pair.coopB.toFixed(2)} (late ${pair.lateCoopA.toFixed(2)} / ${pair.lateCoopB.toFixed(2)}), reward ${pair.rewardA.toFixed(2)} / ${pair.rewardB.toFixed(2)}`,
              ].join('\n'),
          );
        }),
      );
    registerStrangerCommands(agents, action);
  },
};

const PLANNER_STAGE: Partial<Record<Stage, PlannerStage>> = { '1': 'planner', mixed: 'planner-mixed', selfplay: 'planner-selfplay', identity: 'planner-identity' };

function trainPlannerCommand(ctx: CliContext, stage: Stage, flags: TrainFlags, pool: ReturnType<typeof loadPool>): void {
  const ps = PLANNER_STAGE[stage];
  if (!ps) throw new UsageError(`--agent planner trains stages 1, mixed, selfplay and identity, not stage ${stage}`);
  if (flags.from || flags.with) throw new UsageError('--agent planner trains from scratch: --from/--with do not apply');
  const iterations = flags.steps ?? 10;
  const outDir = resolve(flags.out ?? join(ctx.workspace, 'agents'));
  const bar = new ProgressBar(ctx, { total: iterations + 1, label: ps, unit: 'it', quiet: ctx.quiet || ctx.json });
  const command = `thoughtlens agents train ${process.argv.slice(process.argv.indexOf('train') + 1).join(' ')}`.trim();
  const out = trainPlannerToCheckpoints(
    {
      stage: ps,
      pool,
      outDir,
      seed: flags.seed ?? 1,
      arch: (flags.arch as 'gru' | 'transformer' | undefined) ?? 'gru',
      iterations,
      command,
      ...(flags.hidden !== undefined ? { hidden: flags.hidden } : {}),
      ...(flags.episodes !== undefined ? { episodes: flags.episodes } : {}),
      ...(flags.explore !== undefined ? { explore: flags.explore } : {}),
      ...(flags.selfPlay !== undefined ? { selfPlay: flags.selfPlay } : {}),
      ...(flags.initCoop !== undefined ? { initCoop: flags.initCoop } : {}),
      ...(flags.lr !== undefined ? { fit: { lr: flags.lr } } : {}),
      planner: { ...(flags.depth !== undefined ? { depth: flags.depth } : {}), ...(flags.gamma !== undefined ? { gamma: flags.gamma } : {}) },
    },
    (it) => bar.update(it.iteration + 1, plannerStatus(it)),
  );
  bar.finish(out.last ? plannerStatus(out.last) : '');
  const r = out.result;
  emit(
    ctx,
    { stage, agent: 'planner', checkpoints: out.checkpoints, seconds: r.seconds, agentSteps: r.agentSteps, agentStepsPerSecond: r.agentSteps / r.seconds, last: out.last },
    () =>
      [
        `${ps}: ${iterations} iterations in ${r.seconds.toFixed(1)} s (${Math.round(r.agentSteps / r.seconds)} agent-steps/s, played and fitted)`,
        ...(out.last ? [groupTable({ groups: out.last.groups } as UpdateInfo)] : []),
        'checkpoints:',
        ...out.checkpoints.map((c) => `  ${c}`),
      ].join('\n'),
  );
}

function plannerStatus(it: PlannerIteration): string {
  return groupStatus({ groups: it.groups } as UpdateInfo) + ' | loss ' + Object.values(it.loss).map((l) => l.toFixed(3)).join('/');
}

function groupStatus(u: UpdateInfo): string {
  return Object.entries(u.groups)
    .map(([who, g]) => `${who}: ` + Object.entries(g).map(([name, s]) => `${abbrev(name)} ${s.coop.toFixed(2)}/${s.reward.toFixed(2)}`).join(' '))
    .join(' | ');
}

function groupTable(u: UpdateInfo): string {
  const rows: (string | number)[][] = [];
  for (const [who, g] of Object.entries(u.groups)) for (const [name, s] of Object.entries(g)) rows.push([who, name, s.coop.toFixed(2), s.reward.toFixed(2)]);
  return table(['learner', 'co-player group', 'coop', 'reward'], rows);
}

function abbrev(s: string): string {
  return s.length > 6 ? s.slice(0, 5) : s;
}



