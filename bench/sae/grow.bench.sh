#!/bin/bash
# The growth rule of `train` (sae/train/probeCoverage.ts) on fresh runs, against the same training
# without it: per RUN, record it once (bench/sae/recordRun.sh; `n3:<family>:<seed>` and
# `n3:foreign:<seed>` are three-agent runs: 6 thoughts shared by all, 3 by A+B, 3 private each),
# `train` with no flags → `eval-truth --json`; where it grew, `train --config '{"grow":false}'`
# (the same probes: the first size is the one without growth) → `eval-truth --json`. Prints one
# line per run and the count meeting every split target either way (bench/sae/split_targets.py).
#   bash bench/sae/grow.bench.sh OUTDIR RUN [RUN …]
#   e.g. bash bench/sae/grow.bench.sh /tmp/gv synthetic:mixing:91 foreign:91 massive:91 n3:mixing:111 n3:foreign:311
set -euo pipefail
out=$1; shift
mkdir -p "$out"
source "$(dirname "${BASH_SOURCE[0]}")/recordRun.sh"
G='[{"name":"all","agents":["A","B","C"],"size":6},{"name":"ab","agents":["A","B"],"size":3},{"name":"pA","agents":["A"],"size":3},{"name":"pB","agents":["B"],"size":3},{"name":"pC","agents":["C"],"size":3}]'
for run in "$@"; do
  IFS=: read -r kind a b <<< "$run"
  if [ "$kind" = n3 ]; then
    d="$out/n3_${a}_$b"
    if [ ! -f "$d/run.json" ]; then
      rm -rf "$d"
      if [ "$a" = foreign ]; then
        python3 "$here/foreign_generator.py" --out "$d" --seed "$b" --agents A,B,C --dims 40,56,72 --shared 6 --partial 3 --private 3 > /dev/null
        $cli truth attach "$d" --structure "$d.structure.json" --latents "$d.latents.arrows" > /dev/null
      else
        $cli record synthetic --family "$a" --seed "$b" --episodes 48 --agents A,B,C --groups "$G" --out "$d" > /dev/null 2>&1
      fi
    fi
  else
    record_run "$out" "$run"; d=$RUN_DIR
  fi
  n=$(basename "$d")
  $cli train "$d" --out "$d.ck" > "$d.log" 2>&1
  $cli eval-truth "$d.ck" "$d" --json > "$out/eval1.$n.json" 2>/dev/null
  if grep -q "training again at" "$d.log"; then
    $cli train "$d" --config '{"grow":false}' --out "$d.off.ck" > "$d.off.log" 2>&1
    $cli eval-truth "$d.off.ck" "$d" --json > "$out/eval0.$n.json" 2>/dev/null
    echo "$n grew" >> "$out/done.txt"
  else
    echo "$n same" >> "$out/done.txt"
  fi
done
python3 - "$out" "$here" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[2])
from split_targets import meets_split_targets
d = sys.argv[1]
def summ(e):
    best = {x['truth']: abs(x['corr']) for x in e['matches']}
    unread = sum(1 for t in range(e['trueLatents']) if best.get(t, 0) < 0.3)
    prec = min((v['precision'] for v in e['classes'].values() if v['precision'] is not None), default=float('nan'))
    return f"{'meets' if meets_split_targets(e) else 'misses'} every target · F1 {e['structure']['f1']:.3f} · MCC {e['mcc']['pearson']:.3f} · min class precision {prec:.2f} · unread thoughts {unread}"
off = on = total = 0
for line in open(f'{d}/done.txt'):
    n, what = line.split()
    e1 = json.load(open(f'{d}/eval1.{n}.json'))
    e0 = json.load(open(f'{d}/eval0.{n}.json')) if what == 'grew' else e1
    total += 1; off += meets_split_targets(e0); on += meets_split_targets(e1)
    latents = lambda ck: json.load(open(f'{ck}/cfg.json'))['config']['latents']
    if what == 'grew':
        print(f"{n}: grew {latents(f'{d}/{n}.off.ck')} → {latents(f'{d}/{n}.ck')} | without: {summ(e0)} | with: {summ(e1)}")
    else:
        print(f"{n}: did not grow ({latents(f'{d}/{n}.ck')}) | {summ(e1)}")
print(f"meeting every split target: {off} without growth, {on} with it, of {total}")
PY
