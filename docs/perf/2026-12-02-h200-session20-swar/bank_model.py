# The X gather's shared-memory bank conflicts for random delta4 rows: wavefronts per LDS (the largest number of
# distinct words one bank serves for a warp's 32 lanes reading entry e of their vectors), plain fp32 X against X padded by
# a float after every 32 columns. Usage: python3 bank_model.py
import random
def wave(cols, pad):
    banks = {}
    for c in cols:
        a = c + (c >> 5) if pad else c
        banks.setdefault(a % 32, set()).add(a)
    return max(len(v) for v in banks.values())
for sp in (0.5, 0.7, 0.9):
    K = 4096; tot = [0, 0]; n = 0
    for trial in range(300):
        row = sorted(random.sample(range(K), int(K * (1 - sp))))
        for base in range(0, len(row) - 256, 256):
            for e in range(8):
                cols = [row[base + l * 8 + e] for l in range(32)]
                tot[0] += wave(cols, False); tot[1] += wave(cols, True); n += 1
    print(sp, 'wavefronts per LDS: plain %.2f padded %.2f' % (tot[0] / n, tot[1] / n))
