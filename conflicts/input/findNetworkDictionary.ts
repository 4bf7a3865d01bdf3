// The dictionary per-edge detection uses for a network run when none is named — the same for
// `detect <network-run>` and the web view's graph, so their numbers agree: the one trained on the
// run's neighbour pairs (train's default for network runs), else one trained on its nodes.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkpointsForRun } from '../../sae/index.js';
import { DetectorConfigError } from '../errors.js';
import { pairRunDirFor } from './edgePairRun.js';

/** A checkpoint folder, or null when no dictionary in <workspace>/checkpoints was trained on the run or its pairs. */
export function findNetworkDictionary(workspace: string, runDir: string): string | null {
  for (const dir of [pairRunDirFor(workspace, runDir), runDir]) {
    const found = existsSync(dir) ? checkpointsForRun(workspace, dir) : [];
    if (found.length > 1) throw new DetectorConfigError(`${found.length} dictionaries in ${join(workspace, 'checkpoints')} were trained on ${basename(dir)} (${found.map((d) => basename(d)).join(', ')}): choose one with --sae`);
    if (found.length === 1) return found[0]!;
  }
  return null;
}
