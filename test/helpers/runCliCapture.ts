// Runs the CLI in-process with captured output, for tests.
import { runCli } from '../../cli/program.js';

class Capture {
  text = '';
  isTTY = false;
  write(s: string | Uint8Array): boolean {
    this.text += typeof s === 'string' ? s : Buffer.from(s).toString();
    return true;
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCliCapture(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(argv, { stdout, stderr } as never, env);
  return { code, stdout: stdout.text, stderr: stderr.text };
}
