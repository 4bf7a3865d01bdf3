#!/bin/bash
# `detect` at its defaults on runs written outside thoughtlens (bench/sae/foreign_generator.py with
# planted conflicts), truth attached with `thoughtlens truth attach`; the dictionary from `train`
# with no flags. Exactly the new-user path: record (here: an external tool) → train → detect.
#   bash bench/conflicts/foreign.bench.sh OUTDIR "1 2 3" [generator flags, e.g. --lag 20]
# Prints one JSON line per seed: the main detector's and the baselines' evaluation figures.
set -euo pipefail
out=$1; seeds=$2; shift 2
mkdir -p "$out"
here=$(dirname "$0")
cli="npx tsx $here/../../cli/main.ts"
for s in $seeds; do
  d="$out/c$s"
  rm -rf "$d" "$d".*
  python3 "$here/../sae/foreign_generator.py" --out "$d" --seed "$s" --conflicts 0.5 "$@"
  $cli truth attach "$d" --structure "$d.structure.json" --latents "$d.latents.arrows" --conflicts "$d.conflicts.json" > /dev/null
  $cli train "$d" --out "$d.ck" > "$d.train.log" 2>&1
  $cli detect "$d" --sae "$d.ck" --out "$d.rep" > "$d.detect.log" 2>&1
  python3 - "$d" "$s" <<'PY'
import json, sys
d, s = sys.argv[1], sys.argv[2]
r = json.load(open(d + '.rep/report.json'))
def fig(ev):
  return {k: ev.get(k) for k in ('conflicts', 'flaggedBefore', 'detectionRate', 'medianLead', 'falseAlarmsPer1000', 'auroc')}
out = {'seed': int(s), 'horizon': r['detector']['horizon'], 'dictionary': fig(r['evaluation'])}
for b in r.get('baselines') or []:
  out[b.get('views', b.get('name', '?'))] = fig(b.get('evaluation', b))
print(json.dumps(out))
PY
done
