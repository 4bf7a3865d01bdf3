// Files of a run are opened only where their real path (symbolic links resolved) lies inside
// the run's real folder: a link planted in a run (an agent stream or run.json pointing at
// /etc/passwd or another user's files) is refused before anything is read, and the message
// names the link, never its target.
import { realpathSync } from 'node:fs';
import { sep } from 'node:path';
import { FormatError, NotFoundError } from './errors.js';

/** True when `real` is `rootReal` or lies below it (both already real paths). */
export function isInside(rootReal: string, real: string): boolean {
  return real === rootReal || real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep);
}

/**
 * The real path of `file`, checked to lie inside `root`. Throws NotFoundError when it does
 * not exist (a dangling link included) and FormatError when it leads outside `root`.
 */
export function confinedPath(root: string, file: string, what: string, where = 'the run folder'): string {
  let real: string;
  try {
    real = realpathSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new NotFoundError(`${what} is missing`, { file });
    if (code === 'ELOOP') throw new FormatError(`${what} is a symbolic link loop`, { file });
    throw err;
  }
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
  } catch {
    throw new NotFoundError(`${what}: its folder is missing`, { file });
  }
  if (!isInside(rootReal, real)) {
    throw new FormatError(`${what} is a symbolic link that leads out of ${where}; it is not read`, { file });
  }
  return real;
}
