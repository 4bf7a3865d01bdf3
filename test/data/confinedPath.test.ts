// Files of a run are read only inside the run's real folder; runs/ entries that are links
// leading nowhere or out of the workspace are listed with a one-line error (issue 17).
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, listRuns, openRun, readManifest, readTruthJson, readTruthTable } from '../../data/index.js';
import { makeRng } from '../../util/random.js';
import { makeTestRun } from '../helpers/makeTestRun.js';
import { runCliCapture } from '../helpers/runCliCapture.js';
import { tempDir } from '../helpers/tmp.js';

describe('confinement by real path', () => {
  it('run.json linked to a file outside is refused without its contents or the target path', () => {
    const ws = tempDir();
    const outside = tempDir();
    writeFileSync(join(outside, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
    mkdirSync(join(ws, 'runs', 'pw'), { recursive: true });
    symlinkSync(join(outside, 'passwd'), join(ws, 'runs', 'pw', 'run.json'));
    let err: unknown;
    try {
      readManifest(join(ws, 'runs', 'pw'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect((err as Error).message).toMatch(/^run\.json is a symbolic link that leads out of the run folder; it is not read/);
    expect((err as Error).message).not.toMatch(/root:|passwd/);
    expect(listRuns(ws)[0]).toMatchObject({ id: 'pw', status: 'unreadable', error: 'run.json is a symbolic link that leads out of the run folder; it is not read (file pw/run.json)' });
  });

  it('a truth file linked out of the run folder is not read (JSON or Arrow)', () => {
    const { dir } = makeTestRun(tempDir(), 't');
    const outside = tempDir();
    writeFileSync(join(outside, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
    mkdirSync(join(dir, 'truth'));
    symlinkSync(join(outside, 'passwd'), join(dir, 'truth', 'conflicts.json'));
    symlinkSync(join(outside, 'passwd'), join(dir, 'truth', 'latents.arrows'));
    expect(() => readTruthJson(dir, 'conflicts.json')).toThrow(/^truth file 'conflicts\.json' is a symbolic link that leads out of the run folder; it is not read/);
    expect(() => readTruthTable(dir, 'latents.arrows')).toThrow(/^truth file 'latents\.arrows' is a symbolic link that leads out/);
    expect(() => readTruthJson(dir, 'missing.json')).toThrow(/this run has no truth file 'missing\.json'/);
  });

  it('an agent stream linked out of the run folder is not read', () => {
    const ws = tempDir();
    const { dir } = makeTestRun(join(ws, 'runs'), 'r');
    const other = makeTestRun(tempDir(), 'o').dir;
    rmSync(join(dir, 'agents', 'A.arrows'));
    symlinkSync(join(other, 'agents', 'A.arrows'), join(dir, 'agents', 'A.arrows'));
    expect(() => openRun(dir).openAgent('A')).toThrow(/agent stream of 'A' is a symbolic link that leads out of the run folder; it is not read/);
    expect(() => openRun(dir).scan()).toThrow(FormatError);
    expect(listRuns(ws, { checkStreams: true })[0]).toMatchObject({ status: 'corrupt', error: expect.stringMatching(/^agent stream of 'A' is a symbolic link.*\(file r\/agents\/A\.arrows\)$/) });
  });

  it('listRuns and `thoughtlens runs` list dangling and escaping links in runs/ per run and go on', async () => {
    const ws = tempDir();
    makeTestRun(join(ws, 'runs'), 'good');
    symlinkSync(join(ws, 'gone'), join(ws, 'runs', 'dangling'));
    symlinkSync(makeTestRun(tempDir(), 'far').dir, join(ws, 'runs', 'far'));
    const byId = Object.fromEntries(listRuns(ws).map((r) => [r.id, r]));
    expect(byId.good!.status).toBe('complete');
    expect(byId.dangling).toMatchObject({ status: 'unreadable', error: 'runs/dangling is a symbolic link that leads nowhere' });
    expect(byId.far).toMatchObject({ status: 'unreadable', error: 'runs/far is a symbolic link that leads out of the workspace; it is not read' });
    const cli = await runCliCapture(['-w', ws, 'runs']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/dangling\s+unreadable/);
    expect(cli.stdout).toMatch(/leads nowhere/);
    // A run named by id is not followed out of the workspace (an explicit path still is).
    const far = await runCliCapture(['-w', ws, 'inspect', 'far']);
    expect(far.code).toBe(4);
    expect(far.stderr).toMatch(/runs\/far is a symbolic link that leads out of the workspace; it is not read/);
  });

  it('a stream of random bytes makes the run corrupt in listRuns({checkStreams}) and in `thoughtlens runs`', async () => {
    const ws = tempDir();
    const { dir } = makeTestRun(join(ws, 'runs'), 'r');
    const rng = makeRng(3);
    writeFileSync(join(dir, 'agents', 'B.arrows'), Uint8Array.from({ length: 2048 }, () => Math.floor(rng.next() * 256)));
    expect(listRuns(ws)[0]!.status).toBe('complete'); // the manifest alone says so
    const [e] = listRuns(ws, { checkStreams: true });
    expect(e).toMatchObject({ status: 'corrupt', error: expect.stringMatching(/^corrupt Arrow (stream|message).*\(file r\/agents\/B\.arrows\)$/) });
    const cli = await runCliCapture(['-w', ws, 'runs']);
    expect(cli.stdout).toMatch(/r\s+corrupt/);
  });
});
