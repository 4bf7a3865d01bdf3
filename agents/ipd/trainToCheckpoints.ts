// Runs a training stage and writes its learners as checkpoints (at the end, and every
// `saveEvery` updates as `<name>@<update>` so the course of training can be compared).
import { join } from 'node:path';
import { saveCheckpoint } from './checkpoint.js';
import type { SeqModel } from './seqModel.js';
import { runStage, type StageOptions } from './stages.js';
import type { TrainResult, UpdateInfo } from './trainer.js';

export interface TrainToCheckpointsOptions extends StageOptions {
  outDir: string;
  /** Prefix of checkpoint names (default the architecture, e.g. 'gru'). */
  prefix?: string;
  saveEvery?: number;
  /** Recorded in each checkpoint: the command that reproduces it. */
  command?: string;
}

export interface TrainedCheckpoints {
  checkpoints: string[];
  result: TrainResult;
  last: UpdateInfo | undefined;
}

export function trainToCheckpoints(o: TrainToCheckpointsOptions, onUpdate?: (u: UpdateInfo) => void): TrainedCheckpoints {
  const prefix = o.prefix ?? o.arch ?? 'gru';
  const written: string[] = [];
  let plan: ReturnType<typeof runStage> | null = null;
  const save = (suffix: string, u: UpdateInfo | undefined, outputs: { name: string; model: SeqModel }[]): void => {
    for (const out of outputs) {
      const name = `${prefix}-${out.name}${suffix}`;
      written.push(
        saveCheckpoint(join(o.outDir, name), out.model, {
          name,
          stage: o.stage,
          seed: o.seed ?? 1,
          poolStyles: o.pool.styles.map((s) => s.name),
          train: { ...(plan?.cfg ?? {}), episodes: o.episodes ?? null, initCoop: o.initCoop ?? null, pool: o.pool.source },
          metrics: u ? { update: u.update, seconds: u.seconds, agentSteps: u.agentSteps, groups: u.groups } : {},
          ...(o.command ? { command: o.command } : {}),
        }),
      );
    }
  };
  // outputs are known only once planned: runStage plans, then calls back every update
  let outputs: { name: string; model: SeqModel }[] = [];
  plan = runStage({ ...o, onPlanned: (p) => (outputs = p.outputs) }, (u) => {
    if (o.saveEvery && u.update % o.saveEvery === 0 && u.update < u.updates) save(`@${u.update}`, u, outputs);
    onUpdate?.(u);
  });
  const last = plan.result.history[plan.result.history.length - 1];
  save('', last, plan.outputs);
  return { checkpoints: written, result: plan.result, last };
}
