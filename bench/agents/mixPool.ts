// A training pool that mixes a generated population with the shipped pool's training styles,
// spread evenly through the file (training deals blocks of consecutive entries: docs/POOL.md,
// "How training deals a large pool"). The shipped styles' weights are expanded into separately
// named copies (grim trigger 3 of every 13 shipped slots, as in the shipped pool), dealt in a
// fixed 13-slot cycle, `--ratio` shipped slots per generated entry; `--generous-copies k` adds k
// extra copies of every generous-ZD strategy of the population, spread evenly too. The shipped
// held-out styles are left out (they stay held out for `agents eval`). Every entry gets weight 1.
//   thoughtlens agents population --split train --count 500 --out train500.json
//   npx tsx bench/agents/mixPool.ts --gen train500.json --ratio 1 --out train500-ship1.json
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './benchArgs.js';

type Entry = Record<string, unknown> & { name: string; group?: string; weight?: number; heldOut?: boolean };

const args = benchArgs();
if (!args.gen || !args.out) throw new Error('usage: mixPool.ts --gen <population.json> [--ratio 1] [--generous-copies 0] --out <pool.json>');
const ratio = Number(args.ratio ?? 1);
const gzd = Number(args['generous-copies'] ?? 0);
const gen = (JSON.parse(readFileSync(args.gen, 'utf8')) as { styles: Entry[] }).styles;
const shippedFile = fileURLToPath(new URL('../../agents/pool/defaultPool.json', import.meta.url));
const ship = (JSON.parse(readFileSync(shippedFile, 'utf8')) as { styles: Entry[] }).styles.filter((s) => !s.heldOut);
const byName = new Map(ship.map((s) => [s.name, s]));
const cycle = ['tit-for-tat', 'grim-trigger', 'noisy-tit-for-tat', 'win-stay-lose-shift', 'grim-trigger', 'corrigible', 'always-cooperate', 'always-defect', 'grim-trigger', 'random', 'random-memory-1', 'flip', 'zd-extortion-chi2'];
const slots = ship.reduce((a, s) => a + (s.weight ?? 1), 0);
if (cycle.length !== slots || ship.some((s) => cycle.filter((c) => c === s.name).length !== (s.weight ?? 1))) {
  throw new Error(`the shipped pool's training styles no longer match the 13-slot cycle: ${ship.map((s) => `${s.name}×${s.weight ?? 1}`).join(', ')}`);
}

/** Inserts `extra` into `base` evenly: extra j goes after base entry ⌈(j + 1)·|base|/|extra|⌉ − 1. */
function spread(base: Entry[], extra: (k: number) => Entry, count: number): Entry[] {
  const out: Entry[] = [];
  let k = 0;
  base.forEach((s, i) => {
    out.push(s);
    while (k < count && ((k + 1) * base.length) / count <= i + 1) out.push(extra(k++));
  });
  while (k < count) out.push(extra(k++));
  return out;
}

const generous = gen.filter((s) => s.group === 'zd-generous');
const copies: Entry[] = [];
for (let k = 0; k < gzd; k++) for (const s of generous) copies.push({ ...s, name: `${s.name}.${k + 1}` });
const g = copies.length ? spread(gen, (j) => copies[j]!, copies.length) : gen;
const used = new Map<string, number>();
const mixed = spread(
  g,
  (k) => {
    const name = cycle[k % cycle.length]!;
    const u = (used.get(name) ?? 0) + 1;
    used.set(name, u);
    const { weight: _w, ...rest } = byName.get(name)!;
    return { ...rest, name: `${name}.${u}` };
  },
  Math.round(ratio * g.length),
);
const styles = mixed.map(({ weight: _w, ...s }) => ({ ...s, heldOut: false }));
writeFileSync(args.out, JSON.stringify({ version: 1, styles }, null, 1) + '\n');
const groups: Record<string, number> = {};
for (const s of styles) groups[String(s.group)] = (groups[String(s.group)] ?? 0) + 1;
console.log(`${args.out}: ${styles.length} styles (${Object.entries(groups).map(([k, v]) => `${k} ${v}`).join(', ')}); grim trigger ${used.get('grim-trigger') ?? 0}×`);
