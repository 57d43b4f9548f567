# Same-config A/B of call 3 (base = c748d20, new = the narrower ring barrier): extract call3-base/bench-base.tar.xz and
# call3-new/bench-new.tar.xz into /tmp/r3, then run this; prints each config's cold median in both runs and base / new.
import json
def load(path):
    out, base = {}, {}
    try: d = json.load(open(path))
    except Exception as e: print(path, e); return out, base
    for p in d["problems"]:
        key = (p["name"].replace("llm/", ""), p["m"])
        for c in p["candidates"]:
            if c.get("role") == "baseline" and c.get("status") == "ok": base[(key, c["name"])] = c["medianSeconds"] * 1e6
            for r in c.get("sweep") or []: out[(key, r["config"])] = r["medianSeconds"] * 1e6
    return out, base
for tag in ("n18", "n16", "bm"):
    (a, ba), (b, bb) = load(f"/tmp/r3/new-{tag}.json"), load(f"/tmp/r3/base-{tag}.json")
    print("==", tag)
    for k in sorted(a):
        if k in b: print(f"  {k[0][0]:28s} m={k[0][1]:<3d} {k[1]:28s} new {a[k]:7.2f} base {b[k]:7.2f}  x{b[k]/a[k]:.3f}")
    for k in sorted(ba):
        if k in bb: print(f"  {k[0][0]:28s} m={k[0][1]:<3d} {k[1]:28s} new-run {ba[k]:7.2f} base-run {bb[k]:7.2f}")
