// `thoughtlens record ipd`: plays a learner against a learner or a pool style and streams
// hidden states, moves, rewards and behavioural events into a run, live.
import { InvalidArgumentError, type Command } from 'commander';
import { UsageError } from '../../data/index.js';
import { DEFAULT_CHECKPOINT, findCheckpoint, recordIpd, type CoPlayer } from '../../agents/ipd/index.js';
import { loadPool, styleIndex } from '../../agents/pool/index.js';
import { emit, type CliContext } from '../context.js';
import type { ActionFactory } from '../program.js';
import { ProgressBar } from '../progress.js';
import { recordOutDir } from './recordOutput.js';

interface IpdFlags {
  agents?: string[];
  episodes?: number;
  rounds?: number;
  out?: string;
  seed?: number;
  pool?: string;
  k?: number;
  streak?: number;
  switch?: string;
  parallel?: number;
}

export function recordIpdSource(record: Command, action: ActionFactory): void {
  record
    .command('ipd')
    .description(
      "record the iterated prisoner's dilemma: learner A against learner B or a co-player style. Each learner's " +
        'hidden state is stored with action, reward, co-player action and name, P(cooperate), value, and the events ' +
        'defect_after_coop (defection after ≥ k rounds of mutual cooperation) and exploited (≥ m rounds in a row of ' +
        'cooperating against a defection). A style has no hidden state: only the learner is recorded then.',
    )
    .option('--agents <agent...>', `learner A (checkpoint folder or shipped name, default ${DEFAULT_CHECKPOINT}) and B: a checkpoint, a pool style name, or "pool" (every style in turn, one per episode); B defaults to a copy of A`)
    .option('-n, --episodes <n>', 'episodes (default 64)', int)
    .option('--rounds <n>', 'rounds per episode (default 100)', int)
    .option('-o, --out <run>', 'run id in the workspace, or a path to a new run folder (default: ipd-YYYYMMDD-HHMMSS)')
    .option('--seed <n>', 'seed of the moves (default 0)', int)
    .option('--pool <file.json>', 'co-player pool for style names (default: the shipped pool)')
    .option('--k <n>', 'mutual-cooperation rounds before a defection counts as defect_after_coop (default 5)', int)
    .option('--streak <m>', 'rounds in a row of being exploited before exploited fires (default 2)', int)
    .option('--switch <style@round>', 'switch a style co-player to another style at a round, e.g. always-defect@50')
    .option('--parallel <n>', 'episodes played at once (default 32)', int)
    .addHelpText('after', '\nExamples:\n  thoughtlens record ipd --agents gru-stage3-a gru-stage3-b --episodes 64 --out ipd-pair\n  thoughtlens record ipd --agents gru-stage1 tit-for-tat --switch always-defect@50\n  thoughtlens record ipd --agents gru-stage1 pool --episodes 160\n')
    .action(
      action((ctx: CliContext, flags: IpdFlags) => {
        const refs = (flags.agents ?? []).flatMap((r) => r.split(',')).filter(Boolean);
        if (refs.length > 2) throw new UsageError(`--agents takes one or two agents, got ${refs.length}`);
        const pool = loadPool(flags.pool);
        const aRef = refs[0] ?? DEFAULT_CHECKPOINT;
        const a = findCheckpoint(aRef);
        if (!a) throw new UsageError(`agent A '${aRef}' is neither a checkpoint folder nor a shipped checkpoint (a style cannot be agent A: it has no hidden state)`);
        const bRef = refs[1] ?? aRef;
        let b: CoPlayer | null = bRef === 'pool' ? 'pool' : findCheckpoint(bRef);
        if (b === null) {
          styleIndex(pool, bRef); // throws naming the known styles
          b = bRef;
        }
        let switchTo: { style: string; at: number } | undefined;
        if (flags.switch) {
          const m = /^([^@]+)@(\d+)$/.exec(flags.switch);
          if (!m) throw new UsageError(`--switch must look like always-defect@50, got '${flags.switch}'`);
          if (typeof b !== 'string') throw new UsageError('--switch needs a style co-player');
          styleIndex(pool, m[1]!);
          switchTo = { style: m[1]!, at: Number(m[2]) };
        }
        const episodes = flags.episodes ?? 64;
        const { dir, id } = recordOutDir(ctx.workspace, flags.out, 'ipd');
        const bar = new ProgressBar(ctx, { total: episodes, label: 'record ipd', unit: 'ep', quiet: ctx.quiet || ctx.json });
        const res = recordIpd(dir, {
          agentA: a,
          agentB: b,
          episodes,
          pool,
          ...(flags.rounds !== undefined ? { episodeLength: flags.rounds } : {}),
          ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
          ...(flags.k !== undefined ? { k: flags.k } : {}),
          ...(flags.streak !== undefined ? { streak: flags.streak } : {}),
          ...(flags.parallel !== undefined ? { parallel: flags.parallel } : {}),
          ...(switchTo ? { switchTo } : {}),
          onProgress: (p) => bar.update(p.episodes, `coop A ${p.coopA.toFixed(2)} B ${p.coopB.toFixed(2)} · reward A ${p.rewardA.toFixed(2)} B ${p.rewardB.toFixed(2)}`),
        });
        bar.finish();
        const s = res.stats;
        emit(ctx, { id, dir: res.dir, agents: res.manifest.agents.map((x) => x.id), stats: s }, () =>
          [
            `recorded run ${id} (${res.dir})`,
            `${s.episodes} episodes · agents ${res.manifest.agents.map((x) => `${x.id}(${x.hiddenSize})`).join(' ')}`,
            `cooperation A ${s.coopA.toFixed(2)}, B ${s.coopB.toFixed(2)} · mean reward A ${s.rewardA.toFixed(2)}, B ${s.rewardB.toFixed(2)}`,
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
