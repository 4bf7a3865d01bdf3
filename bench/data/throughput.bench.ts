// Run store throughput: recording and reading MB/s of hidden states, next to the machine's
// sequential write speed (dd of the same byte count) measured in the same run.
//
//   npx tsx bench/data/throughput.bench.ts [--mb 1024] [--dims 512,4096] [--append-rows 64] [--reps 3]
//                                          [--dir /tmp] [--out artifacts/bench/data-throughput.json]
//
// MB = 10^6 bytes of hidden state (rows × d × 4); the file also holds keys and two behaviour
// columns. Writes go to the page cache (like dd without conv=fsync); reads follow the write,
// so they come from the page cache too. Both are what a recorder and a trainer see.
// Memory this VM has not touched yet is slow on first use (page cache included), so each
// case first writes and deletes a dd file of its size; then `reps` rounds of dd, write,
// read, read with reuseBuffer follow, and the table shows the median of each.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { createRun, openRun, type AgentSpec } from '../../data/index.js';
import { makeRng } from '../../util/random.js';

interface Args {
  mb: number;
  reps: number;
  dims: number[];
  appendRows: number;
  dir: string;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    mb: 1024,
    reps: 3,
    dims: [512, 4096],
    appendRows: 64,
    dir: tmpdir(),
    out: 'artifacts/bench/data-throughput.json',
  };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--mb':
        a.mb = Number(v);
        i++;
        break;
      case '--reps':
        a.reps = Number(v);
        i++;
        break;
      case '--dims':
        a.dims = v!.split(',').map(Number);
        i++;
        break;
      case '--append-rows':
        a.appendRows = Number(v);
        i++;
        break;
      case '--dir':
        a.dir = v!;
        i++;
        break;
      case '--out':
        a.out = v!;
        i++;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]} (see the header of this file)`);
    }
  }
  if (!(a.mb > 0) || a.dims.some((d) => !(d > 0)) || !(a.appendRows > 0))
    throw new Error('--mb, --dims and --append-rows must be positive');
  return a;
}

interface Sample {
  ddMBps: number;
  writeMBps: number;
  readMBps: number;
  readReuseMBps: number;
  /** MB per CPU-second (user + system): less sensitive to other load on a shared machine. */
  ddCpuMBps: number;
  writeCpuMBps: number;
  readCpuMBps: number;
  readReuseCpuMBps: number;
}

interface CaseResult extends Sample {
  d: number;
  rows: number;
  hiddenBytes: number;
  fileBytes: number;
  writeVsDd: number;
  readVsWrite: number;
  readReuseVsWrite: number;
  samples: Sample[];
}

const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

/** dd of the same byte count into the page cache: wall-clock MB/s and MB per CPU-second. */
function ddWrite(file: string, bytes: number): { wall: number; cpu: number } {
  const count = Math.ceil(bytes / (1 << 20));
  const t0 = performance.now();
  // `times` prints the shell's and then its children's user and system CPU time.
  const r = spawnSync(
    'bash',
    ['-c', `dd if=/dev/zero of='${file}' bs=1M count=${count} 2>/dev/null && times`],
    { encoding: 'utf8' },
  );
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`dd failed: ${r.stderr}`);
  rmSync(file, { force: true });
  const child = r.stdout
    .trim()
    .split('\n')
    .pop()!
    .match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
  const cpuS = child
    ? Number(child[1]) * 60 + Number(child[2]) + Number(child[3]) * 60 + Number(child[4])
    : NaN;
  return { wall: mbps(count * (1 << 20), ms), cpu: (count * (1 << 20)) / 1e6 / cpuS };
}

/** Runs f; returns wall-clock and CPU (user + system of this process) milliseconds. */
function timed(f: () => void): { ms: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000 };
}

function runCase(
  root: string,
  d: number,
  targetBytes: number,
  appendRows: number,
  reps: number,
): CaseResult {
  const rows = Math.max(1, Math.floor(targetBytes / (4 * d) / appendRows)) * appendRows;
  const hiddenBytes = rows * d * 4;
  const agent: AgentSpec = {
    id: 'A',
    hiddenSize: d,
    columns: [
      { name: 'action', type: 'int32', role: 'action' },
      { name: 'reward', type: 'float32', role: 'reward' },
    ],
  };
  // A few preallocated source chunks, cycled: a recorder hands over fresh activations each
  // step, but producing them is not the run store's cost.
  const rng = makeRng(d);
  const sources = Array.from({ length: 4 }, () =>
    Float32Array.from({ length: appendRows * d }, () => rng.normal()),
  );
  const episode = new Int32Array(appendRows);
  const step = new Int32Array(appendRows);
  const action = new Int32Array(appendRows);
  const reward = new Float32Array(appendRows);
  let fileBytes = 0;

  const record = (dir: string): void => {
    const w = createRun(dir, { source: { kind: 'bench' }, agents: [agent], flushIntervalMs: 0 });
    for (let r = 0, c = 0; r < rows; r += appendRows, c++) {
      for (let i = 0; i < appendRows; i++) {
        episode[i] = Math.floor((r + i) / 1000);
        step[i] = (r + i) % 1000;
        action[i] = (r + i) & 1;
        reward[i] = i;
      }
      w.append('A', { episode, step, hidden: sources[c & 3]!, columns: { action, reward } });
    }
    w.close();
  };
  const read = (dir: string, reuseBuffer: boolean): void => {
    const reader = openRun(dir).openAgent('A', { reuseBuffer });
    let n = 0;
    let sum = 0;
    for (const b of reader.batches()) {
      n += b.length;
      sum += b.hidden[b.hidden.length - 1]!;
    }
    reader.close();
    if (n !== rows || !Number.isFinite(sum)) throw new Error(`read ${n} rows of ${rows}`);
  };

  ddWrite(join(root, 'warmup.bin'), hiddenBytes);
  const samples: Sample[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const dd = ddWrite(join(root, 'dd.bin'), hiddenBytes);
    const dir = join(root, `run-d${d}-${rep}`);
    const w = timed(() => record(dir));
    fileBytes = statSync(join(dir, 'agents', 'A.arrows')).size;
    const r = timed(() => read(dir, false));
    const rr = timed(() => read(dir, true));
    rmSync(dir, { recursive: true, force: true });
    samples.push({
      ddMBps: dd.wall,
      writeMBps: mbps(hiddenBytes, w.ms),
      readMBps: mbps(hiddenBytes, r.ms),
      readReuseMBps: mbps(hiddenBytes, rr.ms),
      ddCpuMBps: dd.cpu,
      writeCpuMBps: mbps(hiddenBytes, w.cpuMs),
      readCpuMBps: mbps(hiddenBytes, r.cpuMs),
      readReuseCpuMBps: mbps(hiddenBytes, rr.cpuMs),
    });
  }
  const m = (k: keyof Sample) => median(samples.map((x) => x[k]));
  const writeMBps = m('writeMBps');
  return {
    d,
    rows,
    hiddenBytes,
    fileBytes,
    ddMBps: m('ddMBps'),
    writeMBps,
    readMBps: m('readMBps'),
    readReuseMBps: m('readReuseMBps'),
    ddCpuMBps: m('ddCpuMBps'),
    writeCpuMBps: m('writeCpuMBps'),
    readCpuMBps: m('readCpuMBps'),
    readReuseCpuMBps: m('readReuseCpuMBps'),
    writeVsDd: writeMBps / m('ddMBps'),
    readVsWrite: m('readMBps') / writeMBps,
    readReuseVsWrite: m('readReuseMBps') / writeMBps,
    samples,
  };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  mkdirSync(args.dir, { recursive: true });
  const root = mkdtempSync(join(args.dir, 'tl-bench-'));
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadavgAtStart: loadavg().map((x) => Number(x.toFixed(2))),
    dir: root,
  };
  const results: CaseResult[] = [];
  try {
    for (const d of args.dims)
      results.push(runCase(root, d, args.mb * 1e6, args.appendRows, args.reps));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const f = (x: number) => x.toFixed(0).padStart(7);
  const r2 = (x: number) => x.toFixed(2).padStart(6);
  console.log(
    `run store throughput: ${args.mb} MB of hidden state per case, appends of ${args.appendRows} rows, median of ${args.reps}`,
  );
  console.log(
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB, node ${machine.node}, load ${machine.loadavgAtStart.join(' ')}`,
  );
  console.log(
    '     d     rows |  dd MB/s | write MB/s | read MB/s | read reuse MB/s | write/dd | read/write | reuse/write',
  );
  for (const r of results) {
    console.log(
      `${String(r.d).padStart(6)} ${String(r.rows).padStart(8)} | ${f(r.ddMBps)}  | ${f(r.writeMBps)}    | ${f(r.readMBps)}   | ${f(r.readReuseMBps)}         | ${r2(r.writeVsDd)}   | ${r2(r.readVsWrite)}     | ${r2(r.readReuseVsWrite)}`,
    );
  }
  console.log('per CPU-second (user + system; dd: its own CPU time):');
  console.log('     d          |  dd MB/s | write MB/s | read MB/s | read reuse MB/s');
  for (const r of results) {
    console.log(
      `${String(r.d).padStart(6)}          | ${f(r.ddCpuMBps)}  | ${f(r.writeCpuMBps)}    | ${f(r.readCpuMBps)}   | ${f(r.readReuseCpuMBps)}`,
    );
  }
  const report = {
    bench: 'data/throughput',
    args,
    machine,
    loadavgAtEnd: loadavg().map((x) => Number(x.toFixed(2))),
    results,
  };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify(report));
}

main();
