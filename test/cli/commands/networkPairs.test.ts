// Network runs through the CLI: `train <network-run>` trains a neighbour-pair dictionary on run
// <id>-pairs by default, `detect <network-run>` scores every edge with it and the raw-state
// baseline beside it; two-agent-only options and mixed runs get one-line errors.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRun } from '../../../data/index.js';
import type { NetworkView } from '../../../server/protocol.js';
import { getJson, startTestServer } from '../../helpers/serverClient.js';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

const small = ['--steps', '60', '--latents', '12', '--k', '2', '--batch', '256', '--backend', 'wasm', '--seed', '1'];

describe('network runs through train and detect', () => {
  it('trains on neighbour pairs by default and detect scores every edge with that dictionary and the raw baseline', async () => {
    const ws = tempDir();
    const rec = await runCliCapture(['-w', ws, '-q', 'record', 'network', '--task', 'leader-election', '--nodes', '8', '-n', '24', '--seed', '2', '--fault', 'wrong-belief@random:random', '--out', 'net']);
    expect(rec.code, rec.stderr).toBe(0);
    const tr = await runCliCapture(['-w', ws, '--json', 'train', 'net', ...small]);
    expect(tr.code, tr.stderr).toBe(0);
    expect(tr.stderr).toMatch(/neighbour pairs: wrote .*runs\/net-pairs — \d+ directed edges × \d+ steps/);
    const pairs = openRun(join(ws, 'runs', 'net-pairs'));
    expect(pairs.agentIds).toEqual(['node', 'neighbour']);
    expect(pairs.manifest.source).toMatchObject({ kind: 'edge-pairs', params: { run: 'net' } });
    expect(JSON.parse(tr.stdout).checkpoint).toBe(join(ws, 'checkpoints', 'net-pairs'));
    const det = await runCliCapture(['-w', ws, '--json', 'detect', 'net']);
    expect(det.code, det.stderr).toBe(0);
    const out = JSON.parse(det.stdout) as { views: string; detection: { threshold: number; summary: { acted: number; flaggedBeforeAct: number } }; baseline: { views: string; summary: { flaggedBeforeAct: number } } | null; files: string[] };
    expect(out.views).toBe('pair dictionary');
    expect(out.baseline?.views).toBe('raw');
    expect(out.detection.summary.acted).toBeGreaterThan(0);
    // A false leader claim is in the faulty node's own state a round before any neighbour adopts
    // it: raw states flag every one; this 60-step, 12-latent dictionary some (the bench measures
    // the default-sized one).
    expect(out.detection.summary.flaggedBeforeAct).toBeGreaterThan(0);
    expect(out.baseline?.summary.flaggedBeforeAct).toBe(out.detection.summary.acted);
    expect(out.files.every((f) => existsSync(f))).toBe(true);
    expect(readFileSync(out.files[1]!, 'utf8')).toMatch(/\| pair dictionary \| \d+ \/ \d+ \|/);
    // The graph view scores the edges with the same dictionary and threshold as detect.
    const server = await startTestServer({ workspace: ws });
    try {
      const view = await getJson<NetworkView>(`${server.url}/api/runs/net/network`);
      expect(view.status).toBe(200);
      expect(view.body.views).toBe('pair dictionary');
      expect(view.body.threshold).toBeCloseTo(out.detection.threshold, 9);
    } finally {
      await server.close();
    }
    // The run's own name is not a checkpoint; the error names the pair dictionary.
    const split = await runCliCapture(['-w', ws, 'split', 'net']);
    expect(split.code).toBe(3);
    expect(split.stderr).toMatch(/no checkpoint 'net'.*neighbour-pair dictionary as 'net-pairs'/);
    // A second train reuses the pair run; --over nodes trains the crosscoder over all 8 nodes.
    const reuse = await runCliCapture(['-w', ws, 'train', 'net', '-o', join(ws, 'ck-again'), ...small]);
    expect(reuse.code, reuse.stderr).toBe(0);
    expect(reuse.stderr).toMatch(/neighbour pairs: reusing .*runs\/net-pairs/);
    const again = await runCliCapture(['-w', ws, 'train', 'net', '--over', 'nodes', '-o', join(ws, 'ck-nodes'), ...small]);
    expect(again.code, again.stderr).toBe(0);
    const nodes = await runCliCapture(['-w', ws, '--json', 'detect', 'net', '--sae', join(ws, 'ck-nodes')]);
    expect(nodes.code, nodes.stderr).toBe(0);
    expect(JSON.parse(nodes.stdout).views).toBe('node dictionary');
    const raw = await runCliCapture(['-w', ws, '--json', 'detect', 'net', '--views', 'cca']);
    expect(JSON.parse(raw.stdout)).toMatchObject({ views: 'raw', baseline: null });
  });

  it('refuses two-agent options on a network run and --over on other runs, in one line', async () => {
    const ws = tempDir();
    expect((await runCliCapture(['-w', ws, '-q', 'record', 'network', '--nodes', '6', '-n', '8', '--seed', '1', '--out', 'net'])).code).toBe(0);
    expect((await runCliCapture(['-w', ws, '-q', 'record', 'synthetic', '--episodes', '4', '--steps', '20', '--dims', '16', '-o', 'syn'])).code).toBe(0);
    const follow = await runCliCapture(['-w', ws, 'detect', 'net', '--follow']);
    expect(follow.code).toBe(2);
    expect(follow.stderr).toMatch(/--follow is for two-agent runs; a network run is scored per edge/);
    const over = await runCliCapture(['-w', ws, 'train', 'syn', '--over', 'pairs']);
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/--over is for network runs/);
    const mixed = await runCliCapture(['-w', ws, 'train', 'net', 'syn']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/network runs and other runs cannot be trained on together/);
    for (const r of [follow, over, mixed]) expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
