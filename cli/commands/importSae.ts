import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError, writeFileAtomic } from '../../data/index.js';
import { importCrosscoder, importSaelens, saveCheckpoint, type ImportedDictionary, type ImportLayout } from '../../sae/index.js';
import { emit } from '../context.js';
import type { CommandModule } from '../program.js';

interface Flags {
  out: string;
  saelens?: string[];
  crosscoder?: string;
  agents?: string;
  layout?: string;
  force?: boolean;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export const importSaeCommand: CommandModule = {
  register(program, action) {
    program
      .command('import-sae')
      .requiredOption('-o, --out <ckpt>', 'checkpoint folder to write')
      .option('--saelens <agent=dir>', 'a SAELens SAE folder (cfg.json + sae_weights.safetensors) for one agent; repeat per agent', collect)
      .option('--crosscoder <file>', 'a dictionary_learning CrossCoder / BatchTopKCrossCoder state dict: ae.pt (torch.save), .safetensors, or a folder holding either')
      .option('--agents <ids>', 'comma-separated agent ids of the crosscoder\'s layers, in order (default A,B,…)')
      .option('--layout <layout>', 'SAELens only: shared (views of one dictionary, as export-saelens writes) | separate (each agent\'s latents its own) | auto', 'auto')
      .option('--force', 'replace an existing checkpoint in --out')
      .description(
        'turn a dictionary trained elsewhere into a thoughtlens checkpoint for split, encode, detect and the views: SAELens SAEs ' +
          '(one folder per agent; views written by export-saelens fold back exactly) or a dictionary_learning crosscoder (docs/IMPORT.md)',
      )
      .action(
        action((ctx, flags: Flags) => {
          if (!!flags.saelens === !!flags.crosscoder) throw new UsageError(`give either --saelens <agent=dir> (once per agent) or --crosscoder <file>`);
          const layout = flags.layout as ImportLayout;
          if (!['auto', 'shared', 'separate'].includes(layout)) throw new UsageError(`--layout must be auto, shared or separate, got '${flags.layout}'`);
          const out = resolve(flags.out);
          if (existsSync(join(out, 'cfg.json')) && !flags.force) throw new UsageError(`a checkpoint exists already in ${out} (use --force to replace it)`);
          let res: ImportedDictionary;
          if (flags.saelens) {
            const sources = flags.saelens.map((s) => {
              const at = s.indexOf('=');
              if (at <= 0) throw new UsageError(`--saelens takes <agent>=<folder>, got '${s}'`);
              return { agent: s.slice(0, at), dir: s.slice(at + 1) };
            });
            res = importSaelens(sources, layout);
          } else {
            res = importCrosscoder(flags.crosscoder!, flags.agents?.split(',').map((s) => s.trim()));
          }
          saveCheckpoint(out, res.model);
          const summary = {
            out,
            layout: res.layout,
            mode: res.model.cfg.mode,
            latents: res.model.cfg.latents,
            agents: res.model.cfg.agents,
            threshold: Number.isFinite(res.model.threshold) ? res.model.threshold : null,
            source: res.source,
            notes: res.notes,
          };
          writeFileAtomic(join(out, 'import.json'), JSON.stringify({ importedAt: new Date().toISOString(), ...summary }, null, 2) + '\n');
          emit(ctx, summary, () =>
            [
              `wrote ${out}: ${summary.mode}, ${summary.latents} latents, agents ${summary.agents.map((a) => `${a.id} (d ${a.dim})`).join(', ')}, layout ${summary.layout}`,
              ...res.notes.map((n) => `note: ${n}`),
              `next: thoughtlens split ${out} --run <run> --write, then encode, detect (the checkpoint names no training runs: give them)`,
            ].join('\n'),
          );
        }),
      );
  },
};
