import { renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveRunRef, UsageError } from '../../data/index.js';
import { BACKEND_NAMES, ConfigError, SAE_MODES, trainDictionary, type SaeConfig, type SplitResult } from '../../sae/index.js';
import { fvuNotes } from '../fvuNotes.js';
import { denseNote, medianFiring } from '../denseNote.js';
import { unreproducibleNote } from '../reproducibleNote.js';
import { absorbedText } from '../absorbedText.js';
import { agreementText } from '../agreementText.js';
import { defaultCheckpointDir } from '../defaultCheckpointDir.js';
import { ensurePairRun, isNetworkRun } from '../networkPairRun.js';
import { emit } from '../context.js';
import { ProgressBar } from '../progress.js';
import type { CommandModule } from '../program.js';

interface TrainFlags {
  out?: string;
  latents?: string;
  k?: string;
  mode?: string;
  steps?: string;
  batch?: string;
  lr?: string;
  seed?: string;
  backend?: string;
  engine?: string;
  matmul?: string;
  denseSubspace?: string;
  threads?: string;
  resume?: boolean;
  checkpointEvery?: string;
  config?: string;
  over?: string;
}

const n = (v: string | undefined) => (v === undefined ? undefined : Number(v));

export const trainCommand: CommandModule = {
  register(program, action) {
    program
      .command('train')
      .argument('<runs...>', 'run ids in the workspace or paths to run folders (all with the same agents)')
      .option('-o, --out <ckpt>', 'checkpoint folder to write (and to resume from with --resume); default <workspace>/checkpoints/<run>, where detect, encode and the web view find it without --sae (an existing checkpoint there is not overwritten)')
      .option('--latents <m>', 'number of latents (default for batchtopk: chosen from the data — latents a second seed reproduces in short probes (--config \'{"grow":true}\' also grows it once where the trained dictionary leaves some of them unread); docs/SPLIT.md; other modes 1024)')
      .option('--k <k>', 'mean active latents per step for BatchTopK modes (default: chosen from the data — the knee of held-out FVU over k ∈ {1,2,3,4,6,8})')
      .option('--mode <mode>', `${SAE_MODES.join(' | ')} (default batchtopk)`)
      .option('--steps <n>', 'training steps (default 2000)')
      .option('--batch <n>', 'pairs per step (default 1024)')
      .option('--lr <lr>', 'peak learning rate of Adam (default 1e-3)')
      .option('--seed <n>', 'seed of initialisation and data order (default 0)')
      .option('--backend <name>', `tensor backend: auto | ${BACKEND_NAMES.join(' | ')} (default auto: fastest present)`)
      .option('--matmul <name>', 'dense encoder product of the sparse engine: auto | onnxruntime | tfjs (default auto: native onnxruntime-node when it loads, else the tfjs backend)')
      .option('--engine <name>', 'auto | dense | sparse (sparse decodes only active latents; auto picks it on CPU backends)')
      .option('--dense-subspace <mode>', "off | auto: set aside, per agent, the directions whose activity is Gaussian (a dense background, not sparse thoughts) before the dictionary; (default: off, except that when a first training's latents fire densely — median live latent on ≥ 20% of steps, the measured sign of a dense background — train runs again with auto and keeps that; docs/SPLIT.md, known limits)")
      .option('--threads <n>', 'threads of the sparse engine (default 1; 2 uses a second core: faster, equal to one thread up to float rounding)')
      .option('--checkpoint-every <n>', 'write a checkpoint every n steps (default: only at the end)')
      .option('--config <json>', 'further config fields as JSON, e.g. \'{"blocks":{"shared":512,"private":{"A":256,"B":256}}}\'')
      .option('--over <what>', 'network runs (record network) only: pairs = one dictionary over (node, neighbour) pairs of every edge, which every node reads alike, trained on run <id>-pairs written into the workspace (default) | nodes = a crosscoder over all N nodes (shared / partial / private latents; docs/NETWORKS.md)')
      .option('--resume', 'continue from the checkpoint in --out (bit-for-bit on the cpu backend)')
      .description(
        'train a paired dictionary (crosscoder across agents) on one or more runs, streaming record batches from disk; ' +
          'every 5th episode is held out (the split and eval-truth use it), size and k are chosen from the data unless given, ' +
          'a second seed (the witness) checks which latents are reproducible; writes model.safetensors, cfg.json, split.json ' +
          'and metrics.json to --out (docs/SPLIT.md)',
      )
      .action(
        action(async (ctx, refs: string[], flags: TrainFlags) => {
          let runs = refs.map((r) => resolveRunRef(ctx.workspace, r));
          const network = runs.map(isNetworkRun);
          if (flags.over !== undefined && !['pairs', 'nodes'].includes(flags.over)) throw new UsageError(`--over must be pairs or nodes, got '${flags.over}'`);
          if (network.some(Boolean) && (flags.over ?? 'pairs') === 'pairs') {
            if (!network.every(Boolean)) throw new UsageError('network runs and other runs cannot be trained on together as neighbour pairs: give --over nodes, or train them apart');
            runs = runs.map((r) => ensurePairRun(ctx.workspace, r, (line) => !ctx.quiet && ctx.stderr.write(line + '\n')));
          } else if (flags.over !== undefined && !network.some(Boolean)) throw new UsageError('--over is for network runs (record network); these runs are not');
          let extra: Partial<SaeConfig> = {};
          try {
            if (flags.config) extra = JSON.parse(flags.config) as Partial<SaeConfig>;
          } catch (err) {
            throw new ConfigError(`--config is not valid JSON: ${(err as Error).message}`);
          }
          const config = {
            ...extra,
            latents: n(flags.latents) ?? extra.latents,
            k: n(flags.k) ?? extra.k,
            mode: (flags.mode as SaeConfig['mode']) ?? extra.mode,
            steps: n(flags.steps) ?? extra.steps,
            batchSize: n(flags.batch) ?? extra.batchSize,
            lr: n(flags.lr) ?? extra.lr,
            seed: n(flags.seed) ?? extra.seed,
            backend: (flags.backend as SaeConfig['backend']) ?? extra.backend,
            engine: (flags.engine as SaeConfig['engine']) ?? extra.engine,
            denseSubspace: (flags.denseSubspace as SaeConfig['denseSubspace']) ?? extra.denseSubspace,
            matmul: (flags.matmul as SaeConfig['matmul']) ?? extra.matmul,
            checkpointEvery: n(flags.checkpointEvery) ?? extra.checkpointEvery,
          };
          let bar: ProgressBar | null = null;
          let phase: 'train' | 'witness' = 'train';
          const train = (out: string, cfg: typeof config) => trainDictionary({
            runs,
            out,
            config: cfg,
            resume: flags.resume,
            threads: n(flags.threads),
            log: (line) => {
              if (!ctx.quiet) ctx.stderr.write(line + '\n');
            },
            onProgress: (p) => {
              if (p.phase === 'witness' && bar && phase !== 'witness') {
                bar.finish();
                bar = null;
              }
              phase = p.phase ?? 'train';
              bar ??= new ProgressBar(ctx, { total: p.steps, label: phase, unit: 'steps', quiet: ctx.quiet, logWhenNotTty: !ctx.json });
              bar.update(p.step, `${(p.pairsPerSec / 1000).toFixed(1)}k pairs/s · loss ${p.loss.toFixed(4)} · L0 ${p.l0.toFixed(1)} · dead ${(100 * p.deadFraction).toFixed(1)}% · epoch ${p.epoch}`);
            },
          });
          const out = flags.out !== undefined ? resolve(flags.out) : defaultCheckpointDir(ctx.workspace, runs, Boolean(flags.resume));
          let res = await train(out, config);
          (bar as ProgressBar | null)?.finish();
          const retrained: string[] = [];
          // The measured failure signature of a dense background (cli/denseNote.ts): unless the user
          // chose, train once more with the dense subspace set aside, and keep that dictionary.
          // Only where train chose the size: with sizes given, latents fire on about k/m of the steps
          // whatever the states hold, and the signature was measured on chosen sizes only.
          const sized = (r: typeof res) => (r.model.meta.training.size ? denseNote(r.analysis?.split.frequency, r.analysis?.split.classes) : []);
          const dense = sized(res);
          if (dense.length && config.denseSubspace === undefined && !flags.resume) {
            const first = `median ${medianFiring(res.analysis?.split.frequency, res.analysis?.split.classes)} of steps`;
            if (!ctx.quiet) ctx.stderr.write(`the latents fire densely (${first}): training again with --dense-subspace auto (docs/SPLIT.md, known limits)\n`);
            bar = null;
            phase = 'train';
            const again = `${out}.dense-${process.pid}`;
            const second = await train(again, { ...config, denseSubspace: 'auto' });
            (bar as ProgressBar | null)?.finish();
            const old = `${out}.first-${process.pid}`;
            renameSync(out, old);
            renameSync(again, out);
            rmSync(old, { recursive: true, force: true });
            res = { ...second, dir: out };
            retrained.push(`trained again with --dense-subspace auto: the first training's latents fired densely (${first}); this checkpoint is the second (give --dense-subspace off to keep the first)`);
          }
          const metrics = res.analysis?.metrics;
          const notes = [...retrained, ...(metrics ? fvuNotes(metrics.fvu) : []), ...sized(res), ...unreproducibleNote(res.model.meta.training.size, res.model.cfg.agents.length)];
          emit(
            ctx,
            {
              checkpoint: res.dir,
              backend: res.backend.name,
              engine: res.engine,
              steps: res.steps,
              pairsPerSec: res.pairsPerSec,
              latents: res.model.cfg.latents,
              k: (res.model.cfg as { k?: number }).k ?? null,
              size: res.model.meta.training.size ?? null,
              witness: res.model.meta.training.witness ?? null,
              holdoutEvery: res.model.cfg.holdoutEvery,
              seedAgreement: res.analysis?.split.seedAgreement ?? null,
              metrics,
              notes,
              counts: res.analysis?.split.counts,
              signedCounts: res.analysis?.split.signedCounts,
            },
            () =>
              [
                `checkpoint ${res.dir}`,
                `backend    ${res.backend.name} (engine ${res.engine}), ${res.steps} steps, ${res.pairsPerSec.toFixed(0)} pairs/s`,
                `size       ${res.model.cfg.latents} latents, k ${(res.model.cfg as { k?: number }).k ?? '–'}${res.model.meta.training.size ? ` (chosen: ${res.model.meta.training.size.reason})` : ' (given)'}`,
                res.analysis?.split.seedAgreement
                  ? `witness    seed ${res.model.meta.training.witness?.seed}: reproduces ${witnessCount(res.model.meta.training.witness)} of ${res.model.cfg.latents} latents; ${agreementText(res.analysis.split.seedAgreement)}`
                  : '',
                metrics ? `FVU        ${Object.entries(metrics.fvu).map(([a, v]) => `${a} ${v.toFixed(4)}`).join('  ')}   L0 ${metrics.l0.toFixed(1)}   dead ${(100 * metrics.deadFraction).toFixed(1)}%` : '',
                ...notes.map((n) => `note       ${n}`),
                res.analysis ? `split      ${Object.entries(res.analysis.split.counts).map(([c, k]) => `${c} ${k}`).join('  ')}` : '',
                signedLine(res.analysis?.split),
                absorbedText(res.analysis?.split),
              ]
                .filter(Boolean)
                .join('\n'),
          );
        }),
      );
  },
};

/** The variables per class when the split joined signed pairs (docs/SPLIT.md), else ''. */
function signedLine(split: Pick<SplitResult, 'signed' | 'signedCounts'> | undefined): string {
  const pairs = (split?.signed ?? []).filter((k, j) => k > j).length;
  if (!pairs || !split?.signedCounts) return '';
  const vars = Object.entries(split.signedCounts).filter(([c]) => c !== 'rare' && c !== 'dead');
  return `variables  ${vars.map(([c, k]) => `${c} ${k}`).join('  ')}   (${pairs} signed pair${pairs === 1 ? '' : 's'} of latents read one signed variable each)`;
}

/** The witness count as the split counts it, with the one-to-one count where a duplicate rule made them differ. */
function witnessCount(w: { reproduced: number; reproducedOneToOne?: number; match?: 'one' | 'any' } | undefined): string {
  if (!w) return '–';
  if (w.match === 'any' && w.reproducedOneToOne !== undefined && w.reproducedOneToOne !== w.reproduced) {
    return `${w.reproduced} (${w.reproducedOneToOne} one-to-one, the rest duplicates the witness holds in one latent)`;
  }
  return String(w.reproduced);
}
