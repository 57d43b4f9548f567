import csv, lzma, sys, collections
for f in sys.argv[1:]:
    rows = list(csv.reader(lzma.open(f, 'rt')))
    hdr = rows[1]; data = rows[2:]
    ix = {h: i for i, h in enumerate(hdr)}
    stall_cols = [h for h in hdr if h.startswith("stall_") and "Not Issued" not in h]
    tot = collections.Counter(); by_op = collections.Counter(); total_samples = 0; inst = 0
    top = []
    for r in data:
        if len(r) < len(hdr): continue
        s = int(r[ix["Warp Stall Sampling (All Samples)"]] or 0); total_samples += s
        inst += int(r[ix["Instructions Executed"]] or 0)
        op = r[ix["Source"]].split()[0] if r[ix["Source"]].split() else "?"
        if op.startswith("@"): op = r[ix["Source"]].split()[1]
        by_op[op.split(".")[0]] += s
        for c in stall_cols: tot[c] += int(r[ix[c]] or 0)
        top.append((s, r[ix["Source"]].strip()[:70], {c[6:]: int(r[ix[c]]) for c in stall_cols if int(r[ix[c]] or 0) > s * 0.2}))
    print("==", f, "samples", total_samples, "warp instructions", inst)
    print("  stalls:", ", ".join(f"{k[6:]} {v/total_samples:.0%}" for k, v in tot.most_common(8)))
    print("  by opcode:", ", ".join(f"{k} {v/total_samples:.0%}" for k, v in by_op.most_common(10)))
    for s, src, d in sorted(top, key=lambda t: -t[0])[:14]: print(f"   {s/total_samples:5.1%} {src} {d}")
