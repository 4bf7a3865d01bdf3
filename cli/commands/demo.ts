// `thoughtlens demo`: the whole path in under two minutes on a laptop. Starts the
// workbench, records a synthetic pair with planted conflicts, trains the paired
// dictionary, encodes the run, fits and runs conflict detection, then records a second
// run live (paced, so it grows on screen) that is encoded and scored as it comes in.
// Each stage whose module is missing from this build is skipped with a message.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError } from 'commander';
import { createRun, runDirFor, ThoughtlensError } from '../../data/index.js';
import type { RunningServer } from '../../server/index.js';
import type * as IpdModule from '../../agents/ipd/index.js';
import { emit, type CliContext } from '../context.js';
import type { CommandModule } from '../program.js';
import { browserUrl, intArg, startWorkbench, waitForStop } from './serve.js';

interface DemoFlags {
  serve: boolean;
  exitAfter?: number;
  port?: number;
  host?: string;
  token?: string;
  episodes: number;
  steps: number;
  dims: number;
  /** Dictionary size and k; undefined = chosen from the data like `train` does. */
  latents?: number;
  k?: number;
  trainSteps: number;
  lag: number;
  liveEpisodes: number;
  liveRate: number;
  ipdEpisodes: number;
  seed: number;
}

interface StageResult {
  stage: string;
  status: 'done' | 'skipped' | 'failed';
  seconds: number;
  detail: string;
}

function uniqueId(ws: string, base: string, exists: (id: string) => boolean = (id) => existsSync(runDirFor(ws, id))): string {
  if (!exists(base)) return base;
  for (let i = 2; ; i++) if (!exists(`${base}-${i}`)) return `${base}-${i}`;
}

/** The demo's runs that exist now (a stage may have been skipped). */
function listRunIds(ws: string, wanted: string[]): string[] {
  return wanted.filter((id) => existsSync(runDirFor(ws, id)));
}

function missingModule(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

export async function runDemo(ctx: CliContext, f: DemoFlags): Promise<{ url: string | null; stages: StageResult[]; runs: string[]; checkpoint: string | null }> {
  const say = (s: string) => {
    if (!ctx.json && !ctx.quiet) ctx.stderr.write(s + '\n');
  };
  const stages: StageResult[] = [];
  let broken = false;
  const stage = async <T>(name: string, fn: () => Promise<T>, describe: (v: T) => string, critical = true): Promise<T | null> => {
    const t0 = Date.now();
    if (broken) {
      stages.push({ stage: name, status: 'skipped', seconds: 0, detail: 'an earlier stage did not finish' });
      say(`  – ${name}: skipped (an earlier stage did not finish)`);
      return null;
    }
    say(`▸ ${name}…`);
    try {
      const v = await fn();
      const s = (Date.now() - t0) / 1000;
      const detail = describe(v);
      stages.push({ stage: name, status: 'done', seconds: s, detail });
      say(`  ✓ ${name} (${s.toFixed(1)} s): ${detail}`);
      return v;
    } catch (err) {
      const s = (Date.now() - t0) / 1000;
      if (critical) broken = true;
      if (missingModule(err)) {
        stages.push({ stage: name, status: 'skipped', seconds: s, detail: 'not available in this build' });
        say(`  – ${name}: skipped: this part of thoughtlens is not in this build yet`);
      } else {
        const msg = err instanceof ThoughtlensError ? err.message : `${(err as Error).message}`;
        stages.push({ stage: name, status: 'failed', seconds: s, detail: msg });
        say(`  ✗ ${name} failed: ${msg}`);
      }
      return null;
    }
  };

  const ws = ctx.workspace;
  const runId = uniqueId(ws, 'demo-synthetic');
  const liveId = uniqueId(ws, 'demo-live');
  const ckptName = uniqueId(ws, 'demo-dictionary', (n) => existsSync(join(ws, 'checkpoints', n)));
  const ckptDir = join(ws, 'checkpoints', ckptName);
  const synth = {
    agents: [
      { id: 'A', hiddenSize: f.dims },
      { id: 'B', hiddenSize: f.dims },
    ],
    episodes: f.episodes,
    steps: f.steps,
    seed: f.seed,
    conflicts: { fraction: 0.5, lag: f.lag },
  };

  let server: RunningServer | null = null;
  let url: string | null = null;
  const token = f.token ?? ctx.env.THOUGHTLENS_TOKEN;
  if (f.serve) {
    server = await startWorkbench(ctx, { port: f.port ?? 4173, host: f.host, token });
    url = browserUrl(server, token);
    say(`thoughtlens workbench: ${url}  (open it now: the runs appear as they are recorded)`);
  }
  try {
    const recorded = await stage(
      `record synthetic run ${runId}`,
      async () => {
        const { recordSynthetic } = await import('../../agents/index.js');
        return recordSynthetic(runDirFor(ws, runId), synth, { id: runId, chunkRows: 256, yieldEveryMs: 20 });
      },
      (r) => `${r.steps} steps × 2 agents (d=${f.dims}), ${r.truth.conflicts} planted conflicts`,
    );
    void recorded;
    // Size flags only when given: otherwise the trainer chooses latents and k from the data.
    const size = (latents?: number, k?: number) => ({ ...(latents !== undefined ? { latents } : {}), ...(k !== undefined ? { k } : {}) });
    let chosen: { latents?: number; k?: number } = { latents: f.latents, k: f.k };
    const trained = await stage(
      `train the paired dictionary ${ckptName}`,
      async () => {
        const { trainDictionary, releaseModel } = await import('../../sae/index.js');
        const res = await trainDictionary({
          runs: [runDirFor(ws, runId)],
          out: ckptDir,
          config: { ...size(f.latents, f.k), steps: f.trainSteps, batchSize: 512, seed: f.seed },
        });
        releaseModel(res.model);
        chosen = { latents: res.model.cfg.latents, k: (res.model.cfg as { k?: number }).k };
        return res;
      },
      (r) => `${r.model.cfg.latents} latents (${r.model.meta.training.size ? 'chosen from the data' : 'given'}), ${r.steps} steps on ${r.backend.name}, ${Math.round(r.pairsPerSec)} pairs/s; split ${Object.entries(r.analysis?.split.counts ?? {}).map(([c, n]) => `${c} ${n}`).join(', ')}`,
    );
    void trained;
    const encode = async (run: string, dir = ckptDir, name = ckptName) => {
      const { encodeRun, loadCheckpoint, readCheckpointJson, releaseModel } = await import('../../sae/index.js');
      const model = loadCheckpoint(dir);
      const split = readCheckpointJson<{ classes: string[] }>(dir, 'split.json');
      try {
        return encodeRun(model, runDirFor(ws, run), { name, classes: split?.classes as never });
      } finally {
        releaseModel(model);
      }
    };
    await stage(`encode ${runId}`, () => encode(runId), (m) => `${m.rows} steps, ${m.activeMean.toFixed(1)} active latents per step`);
    const secondName = uniqueId(ws, `${ckptName}-seed${f.seed + 1}`, (n) => existsSync(join(ws, 'checkpoints', n)));
    await stage(
      `train a second dictionary ${secondName} (another seed, fewer steps) for the compare view`,
      async () => {
        const { trainDictionary, releaseModel } = await import('../../sae/index.js');
        const res = await trainDictionary({
          runs: [runDirFor(ws, runId)],
          out: join(ws, 'checkpoints', secondName),
          config: { ...size(chosen.latents, chosen.k), steps: Math.max(20, Math.round(f.trainSteps / 3)), batchSize: 512, seed: f.seed + 1 },
        });
        releaseModel(res.model);
        return res;
      },
      (r) => `${r.steps} steps; split ${Object.entries(r.analysis?.split.counts ?? {}).map(([c, n]) => `${c} ${n}`).join(', ')}`,
      false,
    );
    const detectorFile = join(runDirFor(ws, runId), 'reports', ckptName, 'detector.json');
    const detect = async (run: string, fit: boolean, dir = ckptDir, name = ckptName) => {
      const c = await import('../../conflicts/index.js');
      const runDir = runDirFor(ws, run);
      const res = fit
        ? c.detectRun({ runDir, views: c.dictionaryViews(c.dictionaryCoder(dir)) })
        : c.detectRun({ runDir, detector: c.loadDetector(detectorFile), detectorFile });
      const out = join(runDir, 'reports', name);
      mkdirSync(out, { recursive: true });
      if (res.fitted) c.saveDetector(join(out, 'detector.json'), res.detector);
      c.writeReport(out, res.report, c.parseFormats('json,csv,md,html'));
      return res.report;
    };
    await stage(`detect conflicts in ${runId}`, () => detect(runId, true), (r) => {
      const e = r.evaluation;
      return `${r.flags.length} flags, ${r.events.count} behavioural conflicts${e ? `, ${e.flaggedBefore}/${e.conflicts} flagged before they happened, AUROC ${e.ci.auroc.estimate.toFixed(2)}` : ''}${r.precursor.found ? '' : `; ${r.precursor.statement}`}`;
    }, false);
    const haveDetector = existsSync(detectorFile);
    if (f.liveEpisodes > 0) {
      await stage(
        `record ${liveId} live (${f.liveRate} steps/s), encoding and scoring as it grows`,
        async () => {
          const { SyntheticGenerator, syntheticAgentSpecs } = await import('../../agents/index.js');
          const gen = new SyntheticGenerator({ ...synth, episodes: f.liveEpisodes, seed: f.seed + 1 });
          const w = createRun(runDirFor(ws, liveId), { id: liveId, source: { kind: 'synthetic', params: { ...synth, live: true } }, agents: syntheticAgentSpecs(gen), flushIntervalMs: 0 });
          if (url) say(`  watch it: ${browserUrl(server!, token, `#/run/${liveId}`)}`);
          const chunk = Math.max(1, Math.round(f.liveRate / 10));
          let lastScore = Date.now();
          let scored = 0;
          try {
            for (const c of gen.chunks(chunk)) {
              for (const a of c.agents) w.append(a.id, { episode: c.episode, step: c.step, hidden: a.hidden, columns: { action: a.action, reward: a.reward, diverged: a.diverged } });
              w.flush();
              if (!broken && Date.now() - lastScore > 5000 && c.done >= f.steps * 2) {
                // Encode and score what is there so far: the browser picks both up live.
                await encode(liveId).catch(() => undefined);
                if (haveDetector) await detect(liveId, false).catch(() => undefined);
                scored++;
                lastScore = Date.now();
              }
              await sleep(100);
            }
            w.close();
          } catch (err) {
            w.abort(`demo stopped: ${(err as Error).message}`);
            throw err;
          }
          await encode(liveId);
          const report = haveDetector ? await detect(liveId, false) : null;
          return { steps: gen.totalSteps, flags: report ? report.flags.length : 0, scored };
        },
        (r) => `${r.steps} steps recorded live, ${r.flags} flags with the detector fitted on ${runId}`,
      );
    }
    const ipdRun = f.ipdEpisodes > 0 ? await ipdStages() : null;
    async function ipdStages(): Promise<string | null> {
      // The built-in IPD agents (agents/ipd), when this build ships trained checkpoints.
      const ipdId = uniqueId(ws, 'demo-ipd');
      const ipdCkptName = uniqueId(ws, 'demo-ipd-dictionary', (n) => existsSync(join(ws, 'checkpoints', n)));
      const ipdCkpt = join(ws, 'checkpoints', ipdCkptName);
      let ipd: typeof IpdModule | null = null;
      try {
        ipd = await import('../../agents/ipd/index.js');
      } catch (err) {
        if (!missingModule(err)) throw err;
      }
      const shipped = ipd ? safeList(() => ipd!.shippedCheckpoints()) : [];
      if (!ipd || !shipped.includes(ipd.DEFAULT_CHECKPOINT)) {
        stages.push({ stage: 'record the built-in IPD agents', status: 'skipped', seconds: 0, detail: 'no trained IPD agents in this build yet (agents/checkpoints)' });
        say('  – record the built-in IPD agents: skipped: no trained IPD agents in this build yet (agents/checkpoints)');
        return null;
      }
      const wasBroken = broken;
      broken = false;
      const rec = await stage(
        `record the built-in IPD agents live (${ipdId})`,
        async () => {
          const a = ipd!.loadDefaultCheckpoint();
          if (url) say(`  watch it: ${browserUrl(server!, token, `#/run/${ipdId}`)}`);
          return ipd!.recordIpdLive(runDirFor(ws, ipdId), { agentA: a, agentB: a, episodes: f.ipdEpisodes, seed: f.seed, roundDelayMs: server ? 1 : 0, flushIntervalMs: 250 });
        },
        (r) => `${r.stats.episodes} episodes, cooperation A ${r.stats.coopA.toFixed(2)} / B ${r.stats.coopB.toFixed(2)}`,
        false,
      );
      if (rec) {
        const t = await stage(
          `train a dictionary on ${ipdId}`,
          async () => {
            const { trainDictionary, releaseModel } = await import('../../sae/index.js');
            const res = await trainDictionary({ runs: [runDirFor(ws, ipdId)], out: ipdCkpt, config: { ...size(f.latents, f.k), steps: Math.max(50, Math.round(f.trainSteps / 2)), batchSize: 512, seed: f.seed } });
            releaseModel(res.model);
            return res;
          },
          (r) => `${r.steps} steps; split ${Object.entries(r.analysis?.split.counts ?? {}).map(([c, n]) => `${c} ${n}`).join(', ')}`,
          false,
        );
        if (t) {
          await stage(`encode ${ipdId}`, () => encode(ipdId, ipdCkpt, ipdCkptName), (m) => `${m.rows} steps`, false);
          await stage(`detect conflicts in ${ipdId}`, () => detect(ipdId, true, ipdCkpt, ipdCkptName), (r) => `${r.flags.length} flags, ${r.events.count} behavioural conflicts (${r.events.definition})${r.precursor.found ? '' : `; ${r.precursor.statement}`}`, false);
        }
      }
      broken = wasBroken;
      return rec ? ipdId : null;
    }
    const summary = stages.map((s) => `${s.status === 'done' ? '✓' : s.status === 'skipped' ? '–' : '✗'} ${s.stage} ${s.seconds.toFixed(1)} s`).join('\n');
    const total = stages.reduce((t, s) => t + s.seconds, 0);
    say(`\ndemo finished in ${total.toFixed(1)} s:\n${summary}`);
    if (url) say(`\nopen ${browserUrl(server!, token, `#/run/${runId}`)}\n  · the timeline with the latent heatmap (shared / private bands) and the conflict flags\n  · Structure: which latents each agent uses; click one for its detail\n  · Compare: two dictionary checkpoints side by side (${browserUrl(server!, token, `#/compare?a=${ckptName}&b=${secondName}`)})\n${f.exitAfter !== undefined ? `(stopping in ${f.exitAfter} s)` : '(Ctrl-C to stop)'}`);
    const result = { url, stages, runs: listRunIds(ws, [runId, liveId, ...(ipdRun ? [ipdRun] : [])]), checkpoint: existsSync(ckptDir) ? ckptDir : null };
    if (server) await waitForStop(f.exitAfter);
    return result;
  } finally {
    await server?.close();
  }
}

function safeList(f: () => string[]): string[] {
  try {
    return f();
  } catch {
    return [];
  }
}

function posInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export const demoCommand: CommandModule = {
  register(program, action) {
    program
      .command('demo')
      .description(
        'the whole path in a few minutes: start the workbench, record a synthetic pair of agents with planted conflicts, ' +
          'train the paired dictionary, encode the run, detect conflicts, then record a second run live that is encoded and ' +
          'scored as it grows; prints the URL to open. Writes into the workspace (runs demo-*, checkpoints/demo-dictionary*).',
      )
      .option('--no-serve', 'do not start the workbench (record, train and detect only; also skips the paced live run)')
      .option('--exit-after <seconds>', 'stop serving this many seconds after the demo finished (default: until Ctrl-C)', intArg)
      .option('-p, --port <n>', 'port of the workbench (default 4173; 0 = any free port)', intArg)
      .option('--host <addr>', 'address to bind (default 127.0.0.1)')
      .option('--token <secret>', 'access token (needed for a non-local --host); or $THOUGHTLENS_TOKEN')
      .option('--episodes <n>', 'episodes of the recorded run', posInt, 80)
      .option('--lag <n>', 'steps from a planted drift to the behavioural divergence', posInt, 20)
      .option('--steps <n>', 'steps per episode', posInt, 200)
      .option('--dims <d>', 'hidden size of each agent', posInt, 64)
      .option('--latents <m>', 'latents of the dictionary (default: chosen from the data, as `train` does)', posInt)
      .option('--k <k>', 'active latents per step, BatchTopK (default: chosen from the data)', posInt)
      .option('--train-steps <n>', 'training steps', posInt, 1500)
      .option('--live-episodes <n>', 'episodes of the live run (0 = none)', intArg, 12)
      .option('--live-rate <n>', 'steps per second of the live run', posInt, 200)
      .option('--ipd-episodes <n>', 'episodes of the built-in IPD agents, when trained checkpoints are shipped (0 = none)', intArg, 16)
      .option('--seed <n>', 'seed of everything', intArg, 0)
      .addHelpText('after', '\nExamples:\n  thoughtlens demo\n  thoughtlens demo --no-serve --train-steps 200     (CI: record, train, detect, exit)\n')
      .action(
        action(async (ctx: CliContext, flags: DemoFlags) => {
          if (!flags.serve) flags.liveEpisodes = 0;
          const r = await runDemo(ctx, flags);
          const failed = r.stages.filter((s) => s.status === 'failed').length;
          const skipped = r.stages.filter((s) => s.status === 'skipped').length;
          emit(ctx, r, () => (failed ? `demo finished with ${failed} failed stage${failed > 1 ? 's' : ''} (see above)` : `demo complete${skipped ? ` (${skipped} stage${skipped > 1 ? 's' : ''} skipped, see above)` : ''}`));
        }),
      );
  },
};
