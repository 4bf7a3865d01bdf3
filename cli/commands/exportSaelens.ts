import { exportSaelens, loadCheckpoint, readCheckpointJson, resolveCheckpointRef, type SplitResult } from '../../sae/index.js';
import { emit } from '../context.js';
import type { CommandModule } from '../program.js';

export const exportSaelensCommand: CommandModule = {
  register(program, action) {
    program
      .command('export-saelens')
      .argument('<ckpt>', 'checkpoint folder, or a checkpoint name in <workspace>/checkpoints/')
      .requiredOption('--agent <id>', 'the agent whose view to export')
      .requiredOption('--out <dir>', 'folder for sae_weights.safetensors and cfg.json')
      .description(
        'export one agent\'s view of the dictionary in the SAELens layout (W_enc [d_in,d_sae], b_enc, W_dec [d_sae,d_in], ' +
          'b_dec; normalisation folded in, so it takes raw hidden states)',
      )
      .action(
        action((ctx, ckpt: string, flags: { agent: string; out: string }) => {
          ckpt = resolveCheckpointRef(ctx.workspace, ckpt);
          const model = loadCheckpoint(ckpt);
          const split = readCheckpointJson<SplitResult>(ckpt, 'split.json');
          const res = exportSaelens(model, flags.agent, flags.out, { classes: split?.classes });
          emit(ctx, res, () => `wrote ${res.dir}/sae_weights.safetensors and cfg.json (${res.cfg.architecture}, d_in ${res.cfg.d_in}, d_sae ${res.cfg.d_sae})`);
        }),
      );
  },
};
