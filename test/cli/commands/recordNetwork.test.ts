import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRun } from '../../../data/index.js';
import { parseFaultPlan } from '../../../cli/commands/recordNetwork.js';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

describe('record network', () => {
  it('records N agents with a fault in half the episodes and reports success and spread', async () => {
    const ws = tempDir();
    const r = await runCliCapture(['-w', ws, 'record', 'network', '--task', 'leader-election', '--graph', 'scale-free', '--nodes', '8', '-n', '6', '--seed', '2', '--fault', 'wrong-belief@random:0', '--out', 'le8', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { stats: { nodes: number; episodes: number; faults: number; cleanSuccess: number } };
    expect(out.stats).toMatchObject({ nodes: 8, episodes: 6, faults: 3, cleanSuccess: 1 });
    const run = openRun(join(ws, 'runs', 'le8'));
    expect(run.manifest.agents).toHaveLength(8);
    expect(run.manifest.source.params).toMatchObject({ task: 'leader-election', graph: { family: 'scale-free', n: 8, seed: 2 } });
  });

  it('records the learned GRU consensus agents (trained from a seed)', async () => {
    const ws = tempDir();
    const r = await runCliCapture(['-w', ws, 'record', 'network', '--agent', 'gru', '--policy-updates', '20', '--policy-hidden', '8', '--nodes', '6', '-n', '2', '--fault', 'liar@1:1', '--out', 'g', '--json']);
    expect(r.code).toBe(0);
    const run = openRun(join(ws, 'runs', 'g'));
    expect(run.manifest.agents[0]).toMatchObject({ hiddenSize: 8, model: 'gru-8', layer: 'gru.h' });
    expect(run.manifest.source.params).toMatchObject({ agent: 'gru', policy: { updates: 20, hidden: 8, seed: 1 } });
  });

  it('parses fault plans', () => {
    expect(parseFaultPlan('liar@3:random=5', 0.25)).toEqual({ kind: 'liar', node: 3, round: 'random', value: 5, share: 0.25 });
    expect(parseFaultPlan('none')).toBeNull();
  });

  it('bad graphs and options get a one-line error naming what and where', async () => {
    const ws = tempDir();
    const file = (name: string, text: string) => {
      const p = join(ws, name);
      writeFileSync(p, text);
      return p;
    };
    const cases: [string[], RegExp, number][] = [
      [['--edges', file('loop.txt', '0 1\n1 2\n2 2\n')], /^thoughtlens: error: graph: loop.txt line 3: self-loop at node 2/, 4],
      [['--edges', file('iso.txt', 'nodes 5\n0 1\n1 2\n2 3\n')], /^thoughtlens: error: graph: iso.txt: node 4 is isolated/, 4],
      [['--edges', file('two.txt', '0 1\n1 2\n3 4\n')], /^thoughtlens: error: graph: two.txt: disconnected: 2 components \(node 0 and node 3 are not connected\)/, 4],
      [['--edges', join(ws, 'missing.txt')], /graph file .*missing.txt cannot be read/, 3],
      [['--edges', file('ok.txt', '0 1\n1 2\n'), '--nodes', '5'], /give either --edges <file> or --graph\/--nodes/, 2],
      [['--graph', 'ring'], /'graph' must be one of small-world, scale-free, delaunay, got 'ring'/, 2],
      [['--nodes', '2'], /'nodes' must be an integer in 3\.\.4096, got 2/, 2],
      [['--task', 'sorting'], /--task must be one of colouring, vertex-cover, matching, leader-election, consensus/, 2],
      [['--task', 'colouring', '--agent', 'gru'], /'gru' is a learned policy for consensus, vertex-cover, leader-election; task 'colouring' has the scripted and credulous agents only/, 2],
      [['--fault', 'liar@x:1'], /--fault must look like wrong-belief@NODE:ROUND/, 2],
      [['--fault', 'liar@40:1'], /fault node must be a node in 0..15 or 'random', got 40/, 2],
      [['--fault-share', '2'], /fault share must be in \[0, 1\], got 2/, 2],
    ];
    for (const [args, re, code] of cases) {
      const r = await runCliCapture(['-w', ws, 'record', 'network', '-n', '2', ...args]);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.code, args.join(' ')).toBe(code);
    }
  });
});
