// Reads any experiment spec file and resolves it by its `kind`: 'context' (the default;
// experimentSpec.ts) or 'games' (games/gamesSpec.ts).
import { EXPERIMENT_KINDS, readSpecFile, resolveExperimentSpec, resolveSpecFile, type ResolvedExperimentSpec } from './experimentSpec.js';
import { resolveGamesSpec, type ResolvedGamesSpec } from './games/gamesSpec.js';
import { ExperimentSpecError } from './errors.js';

export type AnyExperimentSpec = (ResolvedExperimentSpec & { kind?: 'context' }) | ResolvedGamesSpec;

export function loadAnyExperimentSpec(file: string): AnyExperimentSpec {
  const { path, raw } = readSpecFile(file);
  const kind = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as { kind?: unknown }).kind : undefined;
  if (kind === 'games') return resolveSpecFile(path, raw, resolveGamesSpec);
  if (kind !== undefined && kind !== 'context') {
    throw new ExperimentSpecError(`spec field 'kind' must be one of ${EXPERIMENT_KINDS.join(', ')}, got ${JSON.stringify(kind)}`, { file: path });
  }
  return resolveSpecFile(path, raw, resolveExperimentSpec);
}
