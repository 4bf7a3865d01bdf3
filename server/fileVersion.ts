// A cache key for a set of files: each file's size and modification time ('-' when it is
// missing), so a cache entry built from them is rebuilt when any of them is rewritten.
import { statSync } from 'node:fs';

export function versionKey(files: string[]): string {
  return files
    .map((f) => {
      try {
        const s = statSync(f);
        return `${s.size}:${s.mtimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}
