// Where `train` writes when --out is not given: <workspace>/checkpoints/<run>, the folder
// `detect`, `encode` and the web view search for a run's dictionary (sae/checkpoint/checkpointsForRun.ts),
// and a name the other commands take for <ckpt> (`split <run>`), so `train pair` then `detect
// pair` needs no paths. Several runs give `<run1>__<run2>`. An existing checkpoint there is never
// overwritten by default: --resume continues it, --out names another.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkpointDirFor, ConfigError } from '../sae/index.js';

export function defaultCheckpointDir(workspace: string, runDirs: string[], resume: boolean): string {
  const dir = checkpointDirFor(workspace, runDirs.map((r) => basename(r)).join('__'));
  if (!resume && existsSync(join(dir, 'cfg.json'))) {
    throw new ConfigError(`a checkpoint already exists at ${dir}: give --resume to continue it, or --out for another folder`);
  }
  return dir;
}
