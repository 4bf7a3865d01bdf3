// Runs planner training (policy improvement) and writes its learners as checkpoints:
// <prefix>-planner for one learner against the pool, <prefix>-<stage>-a/-b for two.
import { join } from 'node:path';
import { saveCheckpoint } from './checkpoint.js';
import { trainPlanner, type PlannerIteration, type PlannerTrainOptions, type PlannerTrainResult } from './trainPlanner.js';

export interface TrainPlannerToCheckpointsOptions extends PlannerTrainOptions {
  outDir: string;
  /** Prefix of checkpoint names (default: the predictor's arch). */
  prefix?: string;
  /** Recorded in each checkpoint: the command that reproduces it. */
  command?: string;
}

export interface TrainedPlanners {
  checkpoints: string[];
  result: PlannerTrainResult;
  last: PlannerIteration | undefined;
}

export function trainPlannerToCheckpoints(o: TrainPlannerToCheckpointsOptions, onIteration?: (it: PlannerIteration) => void): TrainedPlanners {
  const result = trainPlanner(o, onIteration);
  const prefix = o.prefix ?? o.arch ?? 'gru';
  const last = result.history[result.history.length - 1];
  const two = result.learners.length > 1;
  const checkpoints = result.learners.map((l) => {
    const name = `${prefix}-${o.stage}${two ? `-${l.name.toLowerCase()}` : ''}`;
    return saveCheckpoint(join(o.outDir, name), l.planner, {
      name,
      stage: o.stage,
      seed: o.seed ?? 1,
      poolStyles: o.pool.styles.map((s) => s.name),
      train: { ...result.options, pool: o.pool.source },
      metrics: last ? { iteration: last.iteration, seconds: last.seconds, agentSteps: last.agentSteps, loss: last.loss, groups: last.groups } : {},
      ...(o.command ? { command: o.command } : {}),
    });
  });
  return { checkpoints, result, last };
}
