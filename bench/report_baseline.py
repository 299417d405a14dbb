"""The "against the baseline" section of docs/benchmarks.md (issue 17, target
8: every workload within noise of the issue's "today" or better, workload by
workload). The baseline is bench/baseline.json, the run the issue quotes.

Each run is compared by its share of the HTTP ceiling measured in the same
run, not by its ops/s: the ceiling is that day's machine (a noisy neighbour
lowers both), so the share is what the server's own changes move. Kept apart
from write_report.py, which calls write_section()."""
import json
import os

BASELINE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "baseline.json")
# One run on this shared two-core machine can be off by a fifth either way
# (docs/benchmarks.md, "Machine and command"): a change inside that band is
# not told from noise.
NOISE = 0.20


def _share(run_of, target, case):
    """The share of its run's ceiling (at the same connection count) of the
    run `run_of(target, case)` gives as (connections, ops/s), or None."""
    run = run_of(target, case)
    ceiling = run and run_of("ceiling", "ping-1" if run[0] == 1 else "ping")
    return run[1] / ceiling[1] if run and ceiling and ceiling[1] else None


def _percent(x):
    # Whole percents say little below 10%.
    return f"{100 * x:.0f}%" if x >= 0.1 else f"{100 * x:.1f}%"


def verdict(then, now):
    """'better', 'within noise' or 'LOWER' for a share now against then."""
    change = now / then - 1
    if change > NOISE:
        return "better"
    return "within noise" if change >= -NOISE else "LOWER"


def write_section(report, engines, cases, path=BASELINE):
    with open(path) as f:
        baseline = json.load(f)

    def then(target, case):
        return baseline["runs"].get(target, {}).get(case)

    def now(target, case):
        ops = report.throughput(target, case)
        return None if ops is None else (report.runs[(target, case)]["connections"], ops)

    if now("ceiling", "ping") is None or not engines:
        return
    report.out()
    report.out("## Against the baseline (issue 17, target 8)")
    report.out()
    report.out(f"Each workload of this run against the run of {baseline['date']} "
               f"(`{baseline['command']}`), the \"today\" of issue 17 (bench/baseline.json), "
               "both as shares of the HTTP ceiling measured in their own run, so that a "
               "slower or busier machine on one day does not count as a change of the server. "
               f"A change of at most {NOISE:.0%} either way is within noise: one run on this "
               "two-core machine can be off by that much.")
    report.out()
    report.out("| workload | engine | then, of ceiling | now, of ceiling | change | verdict |")
    report.out("|---|---|--:|--:|--:|---|")
    counts = {}
    lower = []
    for engine in engines:
        for case, title in cases:
            before, after = _share(then, engine, case), _share(now, engine, case)
            if before is None or after is None:
                continue
            v = verdict(before, after)
            counts[v] = counts.get(v, 0) + 1
            if v == "LOWER":
                lower.append(f"{title} ({engine})")
            report.out(f"| {title} | {engine} | {_percent(before)} | {_percent(after)} "
                       f"| {100 * (after / before - 1):+.0f}% | {v} |")
    report.out()
    total = sum(counts.values())
    report.out(f"Of {total} workloads measured in both runs: {counts.get('better', 0)} better, "
               f"{counts.get('within noise', 0)} within noise, {counts.get('LOWER', 0)} lower"
               + (f" ({', '.join(lower)})." if lower else "."))
