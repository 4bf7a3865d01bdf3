import { basename, resolve } from 'node:path';
import { openRun, resolveRunRef } from '../../data/index.js';
import { encodeRun, loadCheckpoint, readCheckpointJson, resolveCheckpointRef, releaseModel, type SplitResult, selectBackend, type BackendName } from '../../sae/index.js';
import { emit } from '../context.js';
import { ProgressBar } from '../progress.js';
import type { CommandModule } from '../program.js';

export const encodeCommand: CommandModule = {
  register(program, action) {
    program
      .command('encode')
      .argument('<ckpt>', 'checkpoint folder, or a checkpoint name in <workspace>/checkpoints/')
      .argument('<run>', 'run id or folder')
      .option('--name <name>', 'name of the codes (default: the checkpoint folder name)')
      .option('--select <rule>', 'threshold (default for BatchTopK) | batchtopk | relu')
      .option('--backend <name>', 'tensor backend (default auto)')
      .description(
        'write the latent codes of every step of a run to <run>/codes/<name>.arrows (Arrow stream: episode, step, ' +
          'indices List<Int32>, values List<Float32>) and <name>.json (checkpoint, numLatents, classes, agents, and the signed pairs with their decoder norms where the split found any)',
      )
      .action(
        action(async (ctx, ckpt: string, ref: string, flags: { backend?: BackendName | 'auto'; name?: string; select?: 'threshold' | 'batchtopk' | 'relu' }) => {
          ckpt = resolveCheckpointRef(ctx.workspace, ckpt);
          const runDir = resolveRunRef(ctx.workspace, ref);
          await selectBackend(flags.backend);
          const model = loadCheckpoint(ckpt);
          const split = readCheckpointJson<SplitResult>(ckpt, 'split.json');
          const counts = openRun(runDir).manifest.counts;
          const total = Math.min(...model.cfg.agents.map((a) => counts[a.id]?.rows ?? 0));
          const bar = new ProgressBar(ctx, { total, label: 'encode', unit: 'steps', quiet: ctx.quiet });
          const meta = encodeRun(model, runDir, {
            name: flags.name ?? basename(resolve(ckpt)),
            classes: split?.classes,
            signed: split?.signed,
            select: flags.select,
            onProgress: (done) => bar.update(done),
          });
          bar.finish();
          releaseModel(model);
          emit(ctx, meta, () => `${meta.rows} steps encoded, ${meta.activeMean.toFixed(1)} active latents per step → ${runDir}/codes/${flags.name ?? basename(resolve(ckpt))}.arrows`);
        }),
      );
  },
};
