// Tiny argv parser shared by the agents benchmarks: --name value pairs.
export function benchArgs(argv: string[] = process.argv.slice(2)): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) out[a.slice(2)] = argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--') ? argv[++i]! : 'true';
  }
  return out;
}

export function seedList(s: string | undefined, dflt = '1,2,3,4,5'): number[] {
  return (s ?? dflt).split(',').map(Number);
}
