#!/usr/bin/env python3
"""On/off table for the specialised family and the locality row order from `sparrow bench spmm --json` reports.

Per problem, from Sparrow's search log (every trial timed with the same protocol: 3 warm-up runs,
median of 10): the best time with everything, without the specialised family (`spec.*`), without
the locality order (`*@locality` retrials and specialised `.o1` configs), and without either; the
fastest cuSPARSE algorithm of the same run (median of 20); the empty-kernel launch of the same run.
A problem is launch-bound when cuSPARSE's best is under twice the launch. Geometric means per
(suite, dtype, sparsity, regime). Usage: analyse.py REPORT.json [PARTIAL.jsonl@REPORT.json]... > table.md
"""
import json, math, sys
from collections import defaultdict


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def best(entries, keep):
    times = [e["medianSeconds"] for e in entries if e.get("medianSeconds") and keep(e["config"])]
    return min(times) if times else None


def is_spec(c):
    return c.replace("_", ".").startswith("spec.")


def is_locality(c):
    """Any row order other than the identity: the bench's `@locality` retrials, the specialised `.o1`,
    and the row-order knob's twins (`.o1` locality, `.o2` longest rows first) of the other families."""
    c = c.replace("_", ".")
    return c.endswith("@locality") or c.endswith(".o1") or c.endswith(".o2")


def load(path):
    """A report's problems and launch time; a `.partial.jsonl` (a run cut short) has no launch time:
    give it as `FILE.partial.jsonl@REPORT.json` to take the launch time of a report of the same call."""
    if "@" in path:
        path, other = path.split("@", 1)
        return [json.loads(line)["problem"] for line in open(path) if line.strip()], load(other)[1]
    if path.endswith(".jsonl"):
        return [json.loads(line)["problem"] for line in open(path) if line.strip()], None
    report = json.load(open(path))
    return report["problems"], (report.get("ceilings") or {}).get("launchSeconds")


rows, groups, seen = [], defaultdict(list), set()
loaded = [load(path) for path in sys.argv[1:]]
known_launch = next((l for _, l in loaded if l), None)
for problems, launch in loaded:
    launch = launch or known_launch
    for p in problems:
        if (p["suite"], p["name"], p["m"], p["dtype"]) in seen:
            continue
        seen.add((p["suite"], p["name"], p["m"], p["dtype"]))
        ours = [c for c in p["candidates"] if c["role"] == "ours" and c.get("sweep")]
        if not ours:
            continue
        log = ours[0]["sweep"]
        everything = best(log, lambda c: True)
        no_spec = best(log, lambda c: not is_spec(c))
        no_loc = best(log, lambda c: not is_locality(c))
        neither = best(log, lambda c: not is_spec(c) and not is_locality(c))
        cusparse = [c["medianSeconds"] for c in p["candidates"] if c["name"].startswith("cusparse") and c["status"] == "ok"]
        cus = min(cusparse) if cusparse else None
        final = ours[0].get("medianSeconds")
        regime = "launch-bound" if (cus and launch and cus < 2 * launch) else "large"
        spec_applies = any(is_spec(e["config"]) and e.get("medianSeconds") for e in log)
        compile_spec = sum(e.get("compileSeconds") or 0 for e in log if is_spec(e["config"]))
        key = (p["suite"], p["dtype"], p["nominalSparsity"], p["m"], regime)
        r = dict(name=p["name"], nnz=p["nnz"], key=key, everything=everything, no_spec=no_spec, no_loc=no_loc,
                 neither=neither, cus=cus, final=final, chosen=ours[0].get("config"), spec_applies=spec_applies,
                 compile_spec=compile_spec, launch=launch)
        rows.append(r)
        groups[key].append(r)

us = lambda s: "-" if s is None else "%.2f" % (s * 1e6)
print("| problem | nnz | regime | all (us) | no spec (us) | no locality (us) | neither (us) | cuSPARSE best (us) | final (us) | chosen | spec compile (s) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for r in rows:
    print("| %s %s n=%d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %.1f |" % (
        r["name"], r["key"][1], r["key"][3], r["nnz"], r["key"][4], us(r["everything"]), us(r["no_spec"]), us(r["no_loc"]),
        us(r["neither"]), us(r["cus"]), us(r["final"]), r["chosen"], r["compile_spec"]))
print()
print("| suite | dtype | sparsity | n | regime | problems | spec applies | x from spec (no spec / all) | x from spec where it applies | x from locality (no locality / all) | all vs neither | final vs cuSPARSE best | launch (us) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for key in sorted(groups):
    g = groups[key]
    ratio = lambda a, b: [x[a] / x[b] for x in g if x[a] and x[b]]
    applies = [x for x in g if x["spec_applies"]]
    print("| %s | %s | %.2f | %d | %s | %d | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %s |" % (
        key[0], key[1], key[2], key[3], key[4], len(g), len(applies), geomean(ratio("no_spec", "everything")),
        geomean([x["no_spec"] / x["everything"] for x in applies if x["no_spec"] and x["everything"]]),
        geomean(ratio("no_loc", "everything")), geomean(ratio("neither", "everything")),
        geomean([x["cus"] / x["final"] for x in g if x["cus"] and x["final"]]), us(g[0]["launch"])))
