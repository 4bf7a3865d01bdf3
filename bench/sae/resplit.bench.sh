#!/bin/bash
# One split rule against another on the same dictionaries: each run is recorded once, trained once
# with `train`'s defaults, scored with `eval-truth` on held-out episodes, then a copy of the
# checkpoint is re-split with the given `split` flags (the other rule) and scored again.
#   bash bench/sae/resplit.bench.sh OUTDIR "SPLIT FLAGS" RUN...
# e.g. "--witness-match one" or "--min-episode-spread-shared 0.5" (the tenth session's two rules off).
# A RUN is as in recordRun.sh: `synthetic:<family>:<seed>` or `foreign:<seed>[:<generator flags>]`.
# Prints one line per run: min class precision / min recall / F1 / MCC / labelled S-A-B-rare for the
# defaults and for the flags, and whether each meets every target (precision ≥ 0.9, F1 ≥ 0.95, MCC ≥ 0.85).
set -euo pipefail
out=$1; flags=$2; shift 2
mkdir -p "$out"
# shellcheck source=recordRun.sh
source "$(dirname "$0")/recordRun.sh"
for run in "$@"; do
  record_run "$out" "$run"
  d=$RUN_DIR
  ck="$d.ck"
  [ -f "$ck/split.json" ] || $cli train "$d" --out "$ck" > "$ck.log" 2>&1
  $cli eval-truth "$ck" "$d" --json > "$ck.default.json" 2>/dev/null
  rm -rf "$ck.alt" && cp -r "$ck" "$ck.alt"
  # shellcheck disable=SC2086
  $cli split "$ck.alt" --write $flags > /dev/null 2>&1
  $cli eval-truth "$ck.alt" "$d" --json > "$ck.alt.json" 2>/dev/null
  python3 - "$ck" "$run" "$flags" "$here" <<'PY'
import json, sys
ck, run, flags, here = sys.argv[1:5]
sys.path.insert(0, here)
from split_targets import meets_split_targets
def line(f):
    e = json.load(open(f)); c = e['classes']; n = e['countsVsTruth']
    prec = [v['precision'] for v in c.values() if v['precision'] is not None]
    rec = [v['recall'] for v in c.values() if v['recall'] is not None]
    ok = meets_split_targets(e)
    return '%.2f / %.2f / %.3f / %.3f / %d-%d-%d-%d%s' % (min(prec), min(rec), e['structure']['f1'], e['mcc']['pearson'],
        n['shared']['labelled'], n['private-A']['labelled'], n['private-B']['labelled'], n['rare']['labelled'], ' (meets)' if ok else '')
a, b = line(ck + '.default.json'), line(ck + '.alt.json')
print('| %s | %s | %s |%s' % (run, a, b, ' same' if a == b else ''), flush=True)
PY
done
