// Learning rate at step t (1-based): linear warm-up over `warmupSteps`, constant, then a
// linear decay to 0 over the last `decayFraction` of the steps.
export function learningRate(t: number, cfg: { lr: number; warmupSteps: number; decayFraction: number; steps: number }): number {
  let f = 1;
  if (cfg.warmupSteps > 0 && t <= cfg.warmupSteps) f = t / cfg.warmupSteps;
  const decaySteps = Math.floor(cfg.decayFraction * cfg.steps);
  const decayStart = cfg.steps - decaySteps;
  if (decaySteps > 0 && t > decayStart) f = Math.min(f, Math.max(0, (cfg.steps - t + 1) / (decaySteps + 1)));
  return cfg.lr * f;
}
