"""Issue 14's split targets on an `eval-truth --json` report, one definition for the split benches
(steps.bench.sh, resplit.bench.sh, heldout.bench.sh): class precision ≥ 0.9 for every class
(a class with no labelled latent fails), structure F1 ≥ 0.95 and MCC ≥ 0.85."""


def meets_split_targets(e):
    return (all(v['precision'] is not None and v['precision'] >= 0.9 for v in e['classes'].values())
            and e['structure']['f1'] >= 0.95 and e['mcc']['pearson'] >= 0.85)
