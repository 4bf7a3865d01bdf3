// A checkpoint given the way runs are: a path to a checkpoint folder, or a name of one in
// <workspace>/checkpoints/. Neither → NotFoundError (exit code 3), before any file is read.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ID_PATTERN, NotFoundError } from '../../data/index.js';

export const CHECKPOINTS_DIR = 'checkpoints';

/** Where a checkpoint with this name lives in the workspace. */
export function checkpointDirFor(workspace: string, name: string): string {
  return join(resolve(workspace), CHECKPOINTS_DIR, name);
}

/** A checkpoint folder (one that holds cfg.json) given as a path or as a name in the workspace. */
export function resolveCheckpointRef(workspace: string, ref: string): string {
  const looksLikePath = isAbsolute(ref) || ref.includes('/') || ref.includes('\\') || ref.startsWith('.');
  if (looksLikePath && existsSync(join(resolve(ref), 'cfg.json'))) return resolve(ref);
  if (ID_PATTERN.test(ref) && !ref.includes('..')) {
    const dir = checkpointDirFor(workspace, ref);
    if (existsSync(join(dir, 'cfg.json'))) return dir;
  }
  if (existsSync(join(resolve(ref), 'cfg.json'))) return resolve(ref);
  // `train <network-run>` names its neighbour-pair dictionary <run>-pairs.
  const pairs = ID_PATTERN.test(`${ref}-pairs`) && existsSync(join(checkpointDirFor(workspace, `${ref}-pairs`), 'cfg.json'));
  throw new NotFoundError(
    `no checkpoint '${ref}': not a checkpoint folder (with cfg.json), and not a checkpoint name in ${join(resolve(workspace), CHECKPOINTS_DIR)}` +
      (pairs ? ` (for network run '${ref}', \`train\` wrote its neighbour-pair dictionary as '${ref}-pairs')` : ''),
  );
}
