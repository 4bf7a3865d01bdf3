// Errors of user-supplied ground truth (`truth attach`): one line naming the file and the
// field, e.g. `truth attach: structure.json: thoughts[3].agents names unknown agent 'C' (run
// agents: A, B)`. Bad content is TL_FORMAT (exit 4); a missing file is TL_NOT_FOUND (exit 3).
import { FormatError, NotFoundError } from './errors.js';

export function truthInputError(file: string, message: string): FormatError {
  return new FormatError(`truth attach: ${file}: ${message.replace(/\s*\n\s*/g, ' ')}`);
}

export function truthInputMissing(file: string, what: string): NotFoundError {
  return new NotFoundError(`truth attach: ${file}: no such ${what} file`);
}

export function showValue(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? s.slice(0, 37) + '...' : s;
}
