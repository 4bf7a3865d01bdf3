// `thoughtlens record ipd-delayed`: two learners watch a co-player that switches style at a
// seeded round, B's view of it late (natural conflicts: readings diverge before moves do).
import { InvalidArgumentError, type Command } from 'commander';
import { UsageError } from '../../data/index.js';
import { findCheckpoint, recordIpdDelayed, type SwitchRound } from '../../agents/ipd/index.js';
import { loadPool } from '../../agents/pool/index.js';
import { emit, type CliContext } from '../context.js';
import type { ActionFactory } from '../program.js';
import { ProgressBar } from '../progress.js';
import { recordOutDir } from './recordOutput.js';

interface DelayedFlags {
  agents?: string[];
  switch?: string;
  viewDelay?: number;
  noise?: number;
  episodes?: number;
  rounds?: number;
  out?: string;
  seed?: number;
  pool?: string;
  parallel?: number;
}

export const DEFAULT_DELAYED_AGENT = 'gru-stage1';
export const DEFAULT_DELAYED_SWITCH = 'tit-for-tat:always-defect@random';

/** Parses 'from:to@round', 'from:to@lo-hi' or 'from:to@random'. */
export function parseDelayedSwitch(v: string): { from: string; to: string; at: SwitchRound } {
  const m = /^([^:@]+):([^:@]+)@(random|\d+|\d+-\d+)$/.exec(v.trim());
  if (!m) throw new UsageError(`--switch must look like tit-for-tat:always-defect@random, @30 or @20-40, got '${v}'`);
  const at = m[3]!;
  const range = /^(\d+)-(\d+)$/.exec(at);
  return { from: m[1]!, to: m[2]!, at: at === 'random' ? 'random' : range ? [Number(range[1]), Number(range[2])] : Number(at) };
}

export function recordIpdDelayedSource(record: Command, action: ActionFactory): void {
  record
    .command('ipd-delayed')
    .description(
      'record natural conflicts between two learners: A and B each play their own match against the same co-player ' +
        'style, which switches to another style at a seeded round; A sees the co-player as it moves, B sees it ' +
        '--view-delay rounds late (optionally both through private noisy channels). The matches share their random ' +
        'numbers, so the learners act alike until what they saw differs. Both hidden states are recorded; the event ' +
        "column diverged marks the first step their moves differ, and truth/conflicts.json has each episode's onset " +
        "(first step A's input carries the switched move) and divergence, for `detect` to evaluate.",
    )
    .option('--agents <agent...>', `learner A and B (checkpoint folders or shipped names; default ${DEFAULT_DELAYED_AGENT}, B a copy of A)`)
    .option('--switch <from:to@round>', `co-player styles and switch round: a round, lo-hi (uniform per episode) or random (uniform in [T/4, 3T/4]) (default ${DEFAULT_DELAYED_SWITCH})`)
    .option('--view-delay <d>', "rounds by which B's view of the co-player lags (default 3)", int)
    .option('--noise <p>', 'probability that a seen co-player move is flipped, privately for each learner (default 0)', Number)
    .option('-n, --episodes <n>', 'episodes (default 200)', int)
    .option('--rounds <n>', 'rounds per episode (default 160: detect fits its views on steps ≥ 60 from any divergence, which shorter episodes barely have)', int)
    .option('-o, --out <run>', 'run id in the workspace, or a path to a new run folder (default: ipd-delayed-YYYYMMDD-HHMMSS)')
    .option('--seed <n>', 'seed of switch rounds, moves and noise (default 0)', int)
    .option('--pool <file.json>', 'co-player pool for style names (default: the shipped pool)')
    .option('--parallel <n>', 'episodes played at once (default 32)', int)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  thoughtlens record ipd-delayed --episodes 200 --seed 1 --out natural\n' +
        '  thoughtlens record ipd-delayed --agents gru-stage3-a gru-stage3-b --switch always-cooperate:always-defect@20-40 --view-delay 5\n' +
        '  thoughtlens record ipd-delayed --view-delay 3 --noise 0.05\n' +
        '  thoughtlens train natural && thoughtlens detect natural --sae <checkpoint>\n',
    )
    .action(
      action((ctx: CliContext, flags: DelayedFlags) => {
        const refs = (flags.agents ?? []).flatMap((r) => r.split(',')).filter(Boolean);
        if (refs.length > 2) throw new UsageError(`--agents takes one or two learners, got ${refs.length}`);
        const aRef = refs[0] ?? DEFAULT_DELAYED_AGENT;
        const bRef = refs[1] ?? aRef;
        const load = (ref: string, seat: string) => {
          const ck = findCheckpoint(ref);
          if (!ck) throw new UsageError(`learner ${seat} '${ref}' is neither a checkpoint folder nor a shipped checkpoint (both seats are learners here; the co-player is set by --switch)`);
          return ck;
        };
        const agentA = load(aRef, 'A');
        const agentB = load(bRef, 'B');
        const sw = parseDelayedSwitch(flags.switch ?? DEFAULT_DELAYED_SWITCH);
        const pool = loadPool(flags.pool);
        const episodes = flags.episodes ?? 200;
        const { dir, id } = recordOutDir(ctx.workspace, flags.out, 'ipd-delayed');
        const bar = new ProgressBar(ctx, { total: episodes, label: 'record ipd-delayed', unit: 'ep', quiet: ctx.quiet || ctx.json });
        const res = recordIpdDelayed(dir, {
          agentA,
          agentB,
          from: sw.from,
          to: sw.to,
          switchAt: sw.at,
          episodes,
          episodeLength: flags.rounds ?? 160,
          pool,
          ...(flags.viewDelay !== undefined ? { delay: flags.viewDelay } : {}),
          ...(flags.noise !== undefined ? { noise: flags.noise } : {}),
          ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
          ...(flags.parallel !== undefined ? { parallel: flags.parallel } : {}),
          onProgress: (p) => bar.update(p.episodes),
        });
        bar.finish();
        const leads = res.conflicts.filter((c) => !c.beforeOnset && c.divergenceStep < (flags.rounds ?? 160)).map((c) => c.divergenceStep - c.onsetStep);
        const seen = res.episodes.filter((e) => e.onsetStep !== null).length;
        const stats = { episodes: res.episodes.length, sawSwitch: seen, conflicts: res.conflicts.length, leadsPositive: leads.filter((l) => l > 0).length, leads: leads.length };
        emit(ctx, { id, dir: res.dir, agents: res.manifest.agents.map((x) => x.id), stats }, () =>
          [
            `recorded run ${id} (${res.dir})`,
            `${stats.episodes} episodes · learners A ${agentA.info.name}, B ${agentB.info.name} (view ${flags.viewDelay ?? 3} rounds late) · co-player ${sw.from} → ${sw.to}`,
            `A saw the switch in ${seen} episodes; moves diverged after that in ${leads.length}, ${stats.leadsPositive} of them at least one step after A saw it (truth/conflicts.json)`,
          ].join('\n'),
        );
      }),
    );
}

function int(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}
