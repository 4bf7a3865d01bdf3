import { basename } from 'node:path';
import { matchLatents, readCheckpointInfo, resolveCheckpointRef } from '../../sae/index.js';
import { emit } from '../context.js';
import { table } from '../format.js';
import type { CommandModule } from '../program.js';

export const compareCommand: CommandModule = {
  register(program, action) {
    program
      .command('compare')
      .argument('<a>', 'checkpoint folder or name')
      .argument('<b>', 'checkpoint folder or name')
      .description(
        'match the latents of two dictionaries by decoder direction (cosine over the agents both have, one-to-one, best first) ' +
          'and count which class each matched latent has in each (the workbench\'s compare view)',
      )
      .action(
        action((ctx, refA: string, refB: string) => {
          const a = readCheckpointInfo(resolveCheckpointRef(ctx.workspace, refA));
          const b = readCheckpointInfo(resolveCheckpointRef(ctx.workspace, refB));
          const matches = matchLatents(a, b).map((m) => ({ ...m, classA: a.classes[m.a]!, classB: b.classes[m.b]! }));
          const transitions: Record<string, Record<string, number>> = {};
          for (const m of matches) {
            const row = (transitions[m.classA] ??= {});
            row[m.classB] = (row[m.classB] ?? 0) + 1;
          }
          const moved = matches.filter((m) => m.classA !== m.classB).length;
          const meanCosine = matches.length ? matches.reduce((s, m) => s + m.cosine, 0) / matches.length : null;
          const out = { a: basename(a.dir), b: basename(b.dir), numLatentsA: a.numLatents, numLatentsB: b.numLatents, countsA: a.counts, countsB: b.counts, matched: matches.length, moved, meanCosine, transitions, matches };
          emit(ctx, out, () => {
            const classes = [...new Set([...Object.keys(a.counts), ...Object.keys(b.counts)])].sort();
            return [
              `${out.a} (${a.numLatents} latents) vs ${out.b} (${b.numLatents} latents): ${matches.length} matched, mean decoder cosine ${meanCosine === null ? 'n/a' : meanCosine.toFixed(3)}, ${moved} changed class`,
              '',
              table([`${out.a} ↓ / ${out.b} →`, ...classes], classes.map((r) => [r, ...classes.map((c) => transitions[r]?.[c] ?? 0)])),
            ].join('\n');
          });
        }),
      );
  },
};
