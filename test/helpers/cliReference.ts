// Generates docs/CLI.md from the commands' own --help, so the reference cannot drift:
// test/cli/reference.test.ts fails when the file is stale (`npm run docs:cli` rewrites it).
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { commands } from '../../cli/commands/index.js';

export function cliReference(): string {
  const program = new Command('thoughtlens')
    .option('-w, --workspace <dir>', 'workspace folder (default: $THOUGHTLENS_WORKSPACE or ./thoughtlens-workspace)')
    .option('--json', 'machine-readable JSON on stdout')
    .option('-q, --quiet', 'no progress bars')
    .configureHelp({ helpWidth: 100 });
  for (const c of commands) c.register(program, ((fn: unknown) => fn) as never);
  const parts = [
    '# thoughtlens CLI reference',
    '',
    'Generated from the commands\' `--help` by `npm run docs:cli`; a test fails when it is stale.',
    'Global options go before the command: `thoughtlens [--workspace DIR] [--json] [--quiet] <command> …`.',
    'Exit codes: 0 ok, 2 usage error, 3 not found, 4 bad data (format, schema, value), 70 internal error, 130 interrupted.',
    '',
  ];
  const walk = (cmd: Command, path: string[]) => {
    for (const sub of cmd.commands) {
      const p = [...path, sub.name()];
      sub.configureHelp({ helpWidth: 100 });
      parts.push(`## thoughtlens ${p.join(' ')}`, '', '```text', sub.helpInformation().trimEnd(), '```', '');
      walk(sub, p);
    }
  };
  walk(program, []);
  return parts.join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(new URL('../../docs/CLI.md', import.meta.url), cliReference());
  console.log('wrote docs/CLI.md');
}
