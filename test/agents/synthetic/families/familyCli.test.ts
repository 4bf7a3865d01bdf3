import { describe, expect, it } from 'vitest';
import { readTruthJson } from '../../../../data/index.js';
import { SYNTHETIC_FAMILIES } from '../../../../agents/index.js';
import { runCliCapture } from '../../../helpers/runCliCapture.js';
import { tempDir } from '../../../helpers/tmp.js';

describe('thoughtlens record synthetic --family', () => {
  it('records the chosen family with its parameters, written to the truth', async () => {
    const ws = tempDir();
    const r = await runCliCapture(['-w', ws, '--json', 'record', 'synthetic', '--family', 'recurrent', '--family-params', 'leak=0.3', '--episodes', '2', '--steps', '30', '--dims', '16', '--lag', '4', '-o', 'rec']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { dir: string; family: { name: string; params: { leak: number } }; truth: { family: string } };
    expect(out.family).toEqual({ name: 'recurrent', params: { leak: 0.3 } });
    expect(out.truth.family).toBe('recurrent');
    const st = readTruthJson<{ family: { name: string; params: { leak: number } }; agents: { mixing: { recurrence?: { leak: number } } }[] }>(out.dir, 'structure.json');
    expect(st.family).toMatchObject({ name: 'recurrent', params: { leak: 0.3 } });
    expect(st.agents[0]!.mixing.recurrence?.leak).toBe(0.3);
  });

  it('names the field of a bad family or parameter, and lists the families in --help', async () => {
    const bad = await runCliCapture(['-w', tempDir(), 'record', 'synthetic', '--family', 'lstm']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/'family' names unknown family 'lstm' \(families: mixing, linear-correlated, recurrent, heavy-tailed, hierarchical, superposed, layernorm-residual\)/);
    const param = await runCliCapture(['-w', tempDir(), 'record', 'synthetic', '--family', 'heavy-tailed', '--family-params', 'leak=0.3']);
    expect(param.code).toBe(2);
    expect(param.stderr).toMatch(/'family\.params\.leak' is not a known field \(known: tail, dense\)/);
    const help = await runCliCapture(['record', 'synthetic', '--help']);
    for (const f of SYNTHETIC_FAMILIES) expect(help.stdout).toContain(`  ${f.name} `);
  });
});
