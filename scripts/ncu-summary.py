#!/usr/bin/env python3
"""Turns `ncu --csv --metrics ...` output (scripts/gpu-bench.sh profile) into a markdown table:
one row per kernel and launch shape, the median profiled launch of each (by duration).
Usage: scripts/ncu-summary.py ncu-synthetic.csv[.gz] ..."""
import csv, gzip, io, sys
from collections import OrderedDict

COLUMNS = [
    ("gpu__time_duration.sum", "time (us)", lambda v: f"{v / 1e3:.1f}"),
    ("launch__registers_per_thread", "regs", lambda v: f"{v:.0f}"),
    ("sm__warps_active.avg.pct_of_peak_sustained_active", "occupancy %", lambda v: f"{v:.0f}"),
    ("l1tex__t_sector_hit_rate.pct", "L1 hit %", lambda v: f"{v:.0f}"),
    ("l1tex__throughput.avg.pct_of_peak_sustained_active", "L1 busy %", lambda v: f"{v:.0f}"),
    ("lts__throughput.avg.pct_of_peak_sustained_elapsed", "L2 busy %", lambda v: f"{v:.0f}"),
    ("dram__throughput.avg.pct_of_peak_sustained_elapsed", "DRAM busy %", lambda v: f"{v:.0f}"),
    ("sm__pipe_fma_cycles_active.avg.pct_of_peak_sustained_active", "FMA pipe %", lambda v: f"{v:.0f}"),
    ("l1tex__t_bytes.sum", "L1 GB", lambda v: f"{v / 1e9:.3f}"),
    ("lts__t_bytes.sum", "L2 GB", lambda v: f"{v / 1e9:.3f}"),
    ("smsp__inst_executed.sum", "warp instr (M)", lambda v: f"{v / 1e6:.1f}"),
]


def number(text):
    return float(text.replace(",", ""))


def summarise(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        lines = [line for line in f if line.startswith('"')]
    launches = OrderedDict()
    for row in csv.DictReader(io.StringIO("".join(lines))):
        if not row.get("Metric Value"):
            continue
        entry = launches.setdefault(row["ID"], {"name": row["Kernel Name"], "shape": f"{row['Grid Size']} x {row['Block Size']}"})
        try:
            entry[row["Metric Name"]] = number(row["Metric Value"])
        except ValueError:
            pass
    kernels = OrderedDict()
    for entry in launches.values():
        kernels.setdefault((entry["name"], entry["shape"]), []).append(entry)
    print(f"### {path}\n")
    print("| kernel | grid x block | launches | " + " | ".join(c[1] for c in COLUMNS) + " |")
    print("| --- | --- | --- | " + " | ".join("---" for _ in COLUMNS) + " |")
    for (name, shape), entries in kernels.items():
        entries.sort(key=lambda e: e.get("gpu__time_duration.sum", 0))
        median = entries[len(entries) // 2]
        short = name.split("(")[0].replace("void ", "")[:60]
        cells = [fmt(median[key]) if key in median else "-" for key, _, fmt in COLUMNS]
        print(f"| `{short}` | {shape} | {len(entries)} | " + " | ".join(cells) + " |")
    print()


for p in sys.argv[1:]:
    summarise(p)
