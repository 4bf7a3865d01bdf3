import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Field,
  FixedSizeList,
  Float32,
  Float16,
  Float64,
  Int32,
  Int64,
  Schema,
  Utf8,
  Bool,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { ThoughtlensError } from '../../data/index.js';
import {
  SchemaMismatchError,
  checkSchema,
  halfToFloat,
  openRun,
  schemaForAgent,
  type AgentSpec,
  type RunManifest,
} from '../../data/index.js';
import { makeTestRun } from '../helpers/makeTestRun.js';
import { tempDir } from '../helpers/tmp.js';

const agent: AgentSpec = {
  id: 'A',
  hiddenSize: 4,
  columns: [
    { name: 'action', type: 'int32', role: 'action' },
    { name: 'said', type: 'utf8', role: 'text' },
  ],
};

function mismatch(schema: Schema, spec: AgentSpec = agent): SchemaMismatchError {
  try {
    checkSchema(schema, spec, '/runs/x/agents/A.arrows');
  } catch (err) {
    expect(err).toBeInstanceOf(SchemaMismatchError);
    return err as SchemaMismatchError;
  }
  throw new Error('expected a schema mismatch');
}

const f = (name: string, type: ConstructorParameters<typeof Field>[1]) =>
  new Field(name, type, true);
const hidden = (d: number, item: Float16 | Float32 | Float64 = new Float32()) =>
  f('hidden', new FixedSizeList(d, new Field('item', item, true)));

describe('checkSchema', () => {
  it('accepts the schema thoughtlens writes, and extra columns other tools add', () => {
    expect(() => checkSchema(schemaForAgent(agent), agent, 'x')).not.toThrow();
    const extra = new Schema([...schemaForAgent(agent).fields, f('note', new Utf8())]);
    expect(() => checkSchema(extra, agent, 'x')).not.toThrow();
    // 64-bit keys and behaviour ints (polars' default) are accepted.
    const wide = new Schema([
      f('episode', new Int64()),
      f('step', new Int64()),
      hidden(4),
      f('action', new Int64()),
      f('said', new Utf8()),
    ]);
    expect(() => checkSchema(wide, agent, 'x')).not.toThrow();
    // Float64 hidden states (numpy's default dtype) are accepted: readers convert them.
    const double = new Schema([f('episode', new Int32()), f('step', new Int32()), hidden(4, new Float64()), f('action', new Int32()), f('said', new Utf8())]);
    expect(() => checkSchema(double, agent, 'x')).not.toThrow();
    // So are Float16 ones (a model's half-precision activations).
    const half = new Schema([f('episode', new Int32()), f('step', new Int32()), hidden(4, new Float16()), f('action', new Int32()), f('said', new Utf8())]);
    expect(() => checkSchema(half, agent, 'x')).not.toThrow();
  });

  it('converts half-precision bits exactly, including subnormals, infinities and NaN', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x3555)).toBe(0.333251953125);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x03ff)).toBe(1023 * 2 ** -24);
    expect(halfToFloat(0x8000)).toBe(-0);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });

  it('names file and column for each kind of mismatch', () => {
    const base = [
      f('episode', new Int32()),
      f('step', new Int32()),
      hidden(4),
      f('action', new Int32()),
      f('said', new Utf8()),
    ];
    const without = (name: string) => new Schema(base.filter((x) => x.name !== name));
    const replace = (name: string, field: Field) =>
      new Schema(base.map((x) => (x.name === name ? field : x)));
    const cases: [Schema, string, RegExp][] = [
      [without('step'), 'step', /missing join key column 'step'/],
      [
        replace('episode', f('episode', new Float32())),
        'episode',
        /join key must be an integer type, got Float32/,
      ],
      [without('hidden'), 'hidden', /missing hidden-state column/],
      [
        replace('hidden', f('hidden', new Int32())),
        'hidden',
        /hidden must be FixedSizeList<Float32>\[4\] \(or a List \/ LargeList of 4 floats per row\), got Int32/,
      ],
      [
        replace('hidden', f('hidden', new FixedSizeList(4, new Field('item', new Int32(), false)))),
        'hidden',
        /hidden items must be Float32 \(or Float64 \/ Float16, converted on read\), got Int32/,
      ],
      [
        replace('hidden', hidden(5)),
        'hidden',
        /wrong hidden dimension: the stream has 5, the manifest declares 4 for agent 'A'/,
      ],
      [without('said'), 'said', /missing behaviour column declared in the manifest/],
      [
        replace('action', f('action', new Bool())),
        'action',
        /column declared int32 in the manifest is Bool in the stream/,
      ],
      [
        replace('said', f('said', new Int32())),
        'said',
        /column declared utf8 in the manifest is Int32 in the stream/,
      ],
    ];
    for (const [schema, column, message] of cases) {
      const err = mismatch(schema);
      expect(err.code).toBe('TL_SCHEMA_MISMATCH');
      expect(err.location).toEqual({ file: '/runs/x/agents/A.arrows', column });
      expect(err.message).toMatch(message);
      expect(err.message).toContain(`(file /runs/x/agents/A.arrows, column '${column}')`);
    }
  });
});

describe('a stream that does not match its run.json', () => {
  function withManifest(edit: (m: RunManifest) => void): { dir: string; file: string } {
    const { dir } = makeTestRun(tempDir(), 'm', { dims: [6], episodes: 1, steps: 5 });
    const path = join(dir, 'run.json');
    const m = JSON.parse(readFileSync(path, 'utf8')) as RunManifest;
    edit(m);
    writeFileSync(path, JSON.stringify(m));
    return { dir, file: join(dir, 'agents', 'A.arrows') };
  }

  function readError(dir: string): ThoughtlensError {
    try {
      for (const b of openRun(dir).joined()) void b;
    } catch (err) {
      return err as ThoughtlensError;
    }
    throw new Error('expected an error');
  }

  it('a column the manifest declares but the stream lacks', () => {
    const { dir, file } = withManifest((m) =>
      m.agents[0]!.columns.push({ name: 'mood', type: 'float32', role: 'other' }),
    );
    const err = readError(dir);
    expect(err.code).toBe('TL_SCHEMA_MISMATCH');
    expect(err.location).toEqual({ file, column: 'mood' });
  });

  it('a column of another type', () => {
    const { dir, file } = withManifest((m) => (m.agents[0]!.columns[2]!.type = 'utf8'));
    const err = readError(dir);
    expect(err.message).toBe(
      `column declared utf8 in the manifest is Bool in the stream (file ${file}, column 'defected')`,
    );
  });

  it('a wrong hidden dimension', () => {
    const { dir, file } = withManifest((m) => (m.agents[0]!.hiddenSize = 7));
    const err = readError(dir);
    expect(err.location).toEqual({ file, column: 'hidden' });
    expect(err.message).toMatch(/the stream has 6, the manifest declares 7/);
  });
});
