import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRun, type AgentSpec } from '../../../data/index.js';
import { REPORT_FILES, REPORT_SCHEMA, REPORT_VERSION, ccaViews, detectRun, writeReport, type ConflictReport } from '../../../conflicts/index.js';
import { makeRng } from '../../../util/random.js';

const EVIL = '<script>alert("pwned")</script>';
const EVIL_TEXT = 'a,b "quoted"\nnext line </td><img src=x onerror=alert(1)> | *md* =cmd()';

/** A run whose behaviour columns carry markup: B's action turns into a script tag in some episodes. */
function craftedRun(root: string): string {
  const dir = join(root, 'crafted');
  const agents: AgentSpec[] = ['A', 'B'].map((id) => ({
    id,
    hiddenSize: 6,
    columns: [
      { name: 'action', type: 'utf8', role: 'action' },
      { name: 'say', type: 'utf8', role: 'text' },
    ],
  }));
  const w = createRun(dir, { source: { kind: 'test-crafted' }, agents, flushIntervalMs: 0, batchRows: 50 });
  const rng = makeRng(9);
  for (let e = 0; e < 12; e++) {
    const s = [0, 0, 0];
    for (let t = 0; t < 80; t++) {
      for (let j = 0; j < 3; j++) s[j] = 0.9 * s[j]! + 0.44 * rng.normal();
      const drift = e % 2 === 1 && t >= 40 ? 0.1 * (t - 39) : 0;
      agents.forEach((ag, a) => {
        const h = new Float32Array(6);
        for (let i = 0; i < 6; i++) h[i] = s[i % 3]! * (1 + 0.3 * a + 0.1 * i) + (a === 1 && i % 3 === 0 ? drift : 0) + 0.05 * rng.normal();
        const deviates = a === 1 && e % 2 === 1 && t >= 52;
        w.append(ag.id, { episode: [e], step: [t], hidden: h, columns: { action: [deviates ? EVIL : 'cooperate'], say: [a === 0 ? EVIL_TEXT : EVIL] } });
      });
    }
  }
  w.close();
  return dir;
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endCell();
    else if (ch === '\n') {
      endCell();
      rows.push(row);
      row = [];
    } else cell += ch;
  }
  if (cell || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}

describe('conflict report files', () => {
  const root = mkdtempSync(join(tmpdir(), 'tl-conflicts-report-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const dir = craftedRun(root);
  const res = detectRun({ runDir: dir, views: ccaViews(3, { randomFeatures: 0 }), config: { horizon: 15, far: 0.05, mode: 'disagreement' }, events: { rule: `actions differ or A.action == "${EVIL}"` }, resamples: 50 });
  const out = join(root, 'report');
  writeReport(out, res.report);
  const read = (f: keyof typeof REPORT_FILES) => readFileSync(join(out, REPORT_FILES[f]), 'utf8');

  it('has flags that carry the crafted behaviour (the test would prove nothing otherwise)', () => {
    expect(res.report.flags.length).toBeGreaterThan(2);
    expect(res.report.flags.every((f) => f.behaviour.B!.say === EVIL && f.behaviour.A!.say === EVIL_TEXT)).toBe(true);
    expect(res.report.events.definition).toContain(EVIL);
  });

  it('report.json is schema-versioned and round-trips', () => {
    const j = JSON.parse(read('json')) as ConflictReport;
    expect(j.schema).toBe(REPORT_SCHEMA);
    expect(j.version).toBe(REPORT_VERSION);
    expect(j.flags.length).toBe(res.report.flags.length);
    expect(j.flags[0]!.latents.length).toBeGreaterThan(0);
    expect(j.flags[0]!.contributions.length).toBeGreaterThan(0);
  });

  it('flags.csv has one parseable row per flag, markup and separators quoted', () => {
    const rows = parseCsv(read('csv'));
    expect(rows[0]).toEqual(expect.arrayContaining(['episode', 'step', 'score', 'outcome', 'behaviour']));
    expect(rows.length).toBe(res.report.flags.length + 1);
    const bIdx = rows[0]!.indexOf('behaviour');
    for (const r of rows.slice(1)) {
      expect(r.length).toBe(rows[0]!.length);
      expect(JSON.parse(r[bIdx]!).A.say).toBe(EVIL_TEXT);
    }
  });

  it('report.html escapes every string from the run and needs nothing from the network', () => {
    const html = read('html');
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<[^>]*\s(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;/td&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<svg');
    expect(html.match(/<svg/g)!.length).toBeGreaterThanOrEqual(2);
    // Well-formed enough: every opened table row is closed.
    expect(html.match(/<tr>/g)!.length).toBe(html.match(/<\/tr>/g)!.length);
  });

  it('report.md escapes markup and table separators', () => {
    const md = read('md');
    expect(md).not.toContain('<script');
    expect(md).toContain('&lt;script&gt;');
    for (const line of md.split('\n').filter((l) => l.startsWith('| ') && l.includes('pwned'))) {
      // Cells = unescaped pipes; a crafted '|' must not add a column.
      expect(line.split(/(?<!\\)\|/).length).toBe(11);
    }
  });
});
