import { basename } from 'node:path';
import { readCheckpointInfo, resolveCheckpointRef } from '../../sae/index.js';
import { emit } from '../context.js';
import { table } from '../format.js';
import type { CommandModule } from '../program.js';

export const checkpointCommand: CommandModule = {
  register(program, action) {
    program
      .command('checkpoint')
      .argument('<ckpt>', 'checkpoint folder, or a checkpoint name in <workspace>/checkpoints/')
      .description(
        'a dictionary checkpoint as stored: latents, agents and hidden sizes, latents per class from its split.json, ' +
          'training state and metrics (the numbers the workbench\'s structure view shows; --json gives per-latent classes and decoder norms)',
      )
      .action(
        action((ctx, ref: string) => {
          const dir = resolveCheckpointRef(ctx.workspace, ref);
          const c = readCheckpointInfo(dir);
          const out = {
            name: basename(dir),
            dir,
            mode: c.mode,
            numLatents: c.numLatents,
            agents: c.agents,
            hasSplit: c.hasSplit,
            counts: c.counts,
            classes: c.classes,
            decoderNorms: c.decoderNorms,
            training: c.training,
            metrics: c.metrics,
          };
          emit(ctx, out, () =>
            [
              `checkpoint ${out.name}  (${dir})`,
              `${c.mode}, ${c.numLatents} latents; agents ${c.agents.map((a) => `${a.id} (d=${a.dim})`).join(', ')}; ${c.training.step} steps${c.training.finished ? '' : ' (not finished)'}`,
              '',
              c.hasSplit ? table(['class', 'latents'], Object.entries(c.counts).map(([k, n]) => [k, n])) : 'no split.json (run thoughtlens split --write)',
            ].join('\n'),
          );
        }),
      );
  },
};
