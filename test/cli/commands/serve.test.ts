import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../cli/program.js';
import { tempDir } from '../../helpers/tmp.js';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b) => (out += b));
  stderr.on('data', (b) => (err += b));
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

describe('thoughtlens serve', () => {
  it('starts on 127.0.0.1, prints the URL and answers until --exit-after', async () => {
    const ws = tempDir();
    const o = io();
    const pending = runCli(['-w', ws, '--json', 'serve', '--port', '0', '--exit-after', '2'], o.io, {});
    let url = '';
    for (let i = 0; i < 50 && !url; i++) {
      await new Promise((r) => setTimeout(r, 40));
      const m = /"url": "([^"]+)"/.exec(o.out());
      if (m) url = m[1]!;
    }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(`${url}api/runs`);
    expect(res.status).toBe(200);
    expect(await pending).toBe(0);
  });

  it('refuses a network bind without a token, with a message and exit code 2', async () => {
    const o = io();
    const code = await runCli(['-w', tempDir(), 'serve', '--host', '0.0.0.0', '--port', '0', '--exit-after', '0'], o.io, {});
    expect(code).toBe(2);
    expect(o.err()).toMatch(/refusing to listen on 0\.0\.0\.0 without an access token/);
  });

  it('takes the token from $THOUGHTLENS_TOKEN and puts it in the URL it prints', async () => {
    const o = io();
    const token = 'a-long-enough-token-123';
    const code = await runCli(['-w', tempDir(), '--json', 'serve', '--host', '0.0.0.0', '--port', '0', '--exit-after', '0'], o.io, { THOUGHTLENS_TOKEN: token });
    expect(code).toBe(0);
    const out = JSON.parse(o.out()) as { url: string; auth: boolean };
    expect(out.auth).toBe(true);
    expect(out.url).toContain(`?token=${token}`);
  });
});
