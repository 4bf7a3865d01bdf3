import { describe, expect, it } from 'vitest';
import { runCliCapture } from '../helpers/runCliCapture.js';
import { makeTestRun } from '../helpers/makeTestRun.js';
import { tempDir } from '../helpers/tmp.js';
import { commands } from '../../cli/commands/index.js';
import { Command } from 'commander';

/** Names of every command and subcommand the CLI registers. */
function commandPaths(): string[][] {
  const program = new Command('thoughtlens');
  for (const c of commands) c.register(program, ((fn: unknown) => fn) as never);
  const out: string[][] = [];
  const walk = (cmd: Command, path: string[]) => {
    for (const sub of cmd.commands) {
      out.push([...path, sub.name()]);
      walk(sub, [...path, sub.name()]);
    }
  };
  walk(program, []);
  return out;
}

describe('thoughtlens CLI', () => {
  it('prints help that lists the commands', async () => {
    const r = await runCliCapture(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('runs');
    expect(r.stdout).toContain('inspect');
  });

  it('has --help with a description on every command', async () => {
    const paths = commandPaths();
    expect(paths.length).toBeGreaterThanOrEqual(2);
    for (const p of paths) {
      const r = await runCliCapture([...p, '--help']);
      expect(r.code, `${p.join(' ')} --help`).toBe(0);
      expect(r.stdout, `${p.join(' ')} --help`).toMatch(/Usage: thoughtlens/);
      expect(r.stdout.split('\n').filter((l) => l.trim()).length, `${p.join(' ')} has a description`).toBeGreaterThan(2);
    }
  });

  it('exits with a usage error on an unknown command', async () => {
    const r = await runCliCapture(['no-such-command']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command/);
  });

  it('names the missing run and exits 3', async () => {
    const ws = tempDir();
    const r = await runCliCapture(['--workspace', ws, 'inspect', 'missing-run']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("no run 'missing-run'");
  });

  it('reports errors as JSON with --json', async () => {
    const ws = tempDir();
    const r = await runCliCapture(['--workspace', ws, '--json', 'inspect', 'missing-run']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'TL_NOT_FOUND' } });
  });

  it('lists runs of the workspace and inspects one', async () => {
    const ws = tempDir();
    makeTestRun(`${ws}/runs`, 'alpha', { episodes: 2, steps: 10 });
    const list = await runCliCapture(['--workspace', ws, '--json', 'runs']);
    expect(list.code).toBe(0);
    const runs = JSON.parse(list.stdout).runs;
    expect(runs.map((r: { id: string }) => r.id)).toEqual(['alpha']);
    expect(runs[0]).toMatchObject({ status: 'complete', agents: [{ id: 'A', rows: 20 }, { id: 'B', rows: 20 }] });

    const human = await runCliCapture(['--workspace', ws, 'runs']);
    expect(human.stdout).toMatch(/alpha\s+complete/);

    const insp = await runCliCapture(['--workspace', ws, '--json', 'inspect', 'alpha']);
    expect(insp.code).toBe(0);
    const s = JSON.parse(insp.stdout);
    expect(s).toMatchObject({ id: 'alpha', status: 'complete', truncated: false, formatVersion: 1 });
    expect(s.agents[0].disk).toMatchObject({ rows: 20, ended: true, truncation: null });
    expect(s.agents[0].schema.map((f: { name: string }) => f.name)).toEqual(['episode', 'step', 'hidden', 'action', 'reward', 'defected']);
  });

  it('takes the workspace from THOUGHTLENS_WORKSPACE', async () => {
    const ws = tempDir();
    makeTestRun(`${ws}/runs`, 'beta', { episodes: 1, steps: 5 });
    const r = await runCliCapture(['--json', 'runs'], { THOUGHTLENS_WORKSPACE: ws });
    expect(JSON.parse(r.stdout).runs[0].id).toBe('beta');
  });
});
