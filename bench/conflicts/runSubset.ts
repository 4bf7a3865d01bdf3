// Copies the episodes of a run that pass a filter into a new run (same agents, columns and
// truth files), so a dictionary can be trained on reference episodes only.
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRun, openRun } from '../../data/index.js';

export function copyEpisodes(srcDir: string, dstDir: string, keep: (episode: number) => boolean): string {
  const src = openRun(srcDir);
  const agents = src.manifest.agents;
  const w = createRun(dstDir, { source: { ...src.manifest.source, params: { ...(src.manifest.source.params ?? {}), subsetOf: src.manifest.id } }, agents, flushIntervalMs: 0 });
  for (const b of src.joined({ validate: false })) {
    const rows: number[] = [];
    for (let r = 0; r < b.length; r++) if (keep(b.episode[r]!)) rows.push(r);
    if (!rows.length) continue;
    agents.forEach((a, i) => {
      const d = a.hiddenSize;
      const hidden = new Float32Array(rows.length * d);
      rows.forEach((r, k) => hidden.set(b.hidden[i]!.subarray(r * d, (r + 1) * d), k * d));
      const columns = Object.fromEntries(Object.entries(b.columns[i]!).map(([name, v]) => [name, rows.map((r) => v[r] as number | boolean | string | null)]));
      w.append(a.id, { episode: rows.map((r) => b.episode[r]!), step: rows.map((r) => b.step[r]!), hidden, columns });
    });
  }
  if (existsSync(join(srcDir, 'truth'))) {
    cpSync(join(srcDir, 'truth'), join(dstDir, 'truth'), { recursive: true });
    w.addTruthFiles(src.manifest.truth ?? []);
  }
  w.close();
  return dstDir;
}
