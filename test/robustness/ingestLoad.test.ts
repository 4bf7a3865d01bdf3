// A small version of bench/load/ingest.bench.ts: a few concurrent ingest streams and
// readers against one server child for a few seconds; nothing lost or duplicated
// (count and checksum per stream), manifest equal to the disk, memory bounded.
import { describe, expect, it } from 'vitest';
import { runIngestLoad } from '../../bench/load/ingestLoad.js';

describe('ingestion under load', () => {
  it('6 streams and 2 readers for 4 s: every step stored once, checksums equal, memory bounded', async () => {
    const r = await runIngestLoad({ runs: 3, agentsPerRun: 2, readers: 2, seconds: 4, hiddenSize: 64, batchRows: 32 });
    expect(r.errors).toEqual([]);
    expect(r.streams).toBe(6);
    expect(r.steps).toBeGreaterThan(6 * 32 * 3);
    expect(r.lost).toBe(0);
    expect(r.duplicated).toBe(0);
    expect(r.checksumMismatches).toBe(0);
    expect(r.manifestMismatches).toBe(0);
    expect(r.read.count).toBeGreaterThan(10);
    // A few MB of steps must not grow the server by more than its own start-up size.
    expect(r.rssPeakMb).toBeLessThan(r.rssStartMb + 250);
  });
});
