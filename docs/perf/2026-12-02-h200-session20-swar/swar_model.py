# Simulates the delta4 SWAR decode of multiply_round (V=8 and V=4, U=1,2) against the plain column sums.
import random
def byte(x,k): return (x >> (8*k)) & 0xff
def check(V, U, trials=3000):
    ones = 0x01010101 >> (32 - 4*V)
    for t in range(trials):
        # a stream of entries: several rows; deltas random 0..15; columns = cumulative per row
        nrows = random.randint(1,4)
        lens = [random.randint(0, 700) for _ in range(nrows)]
        pre = random.randint(0, 13)  # entries before the first row (previous rows)
        total = pre + sum(lens) + 300
        total = (total + 7)//8*8 + 8*256
        d = [random.randint(0,15) for _ in range(total)]
        start = pre
        for L in lens:
            end = start + L
            # true columns
            col = {}; c = -1
            for q in range(start, end): c += d[q] + 1; col[q] = c
            base = start & ~(V-1); carry = -1; got = {}
            while base < end or (base == start & ~(V-1) and False):
                whole = base >= start and base + U*32*V <= end
                for u in range(U):
                    his=[];los=[];runs=[]
                    for lane in range(32):
                        vp = base + (u*32+lane)*V
                        word = 0
                        if vp < end:
                            for e in range(V): word |= d[vp+e] << (4*e)
                        odd = (word >> 4) & 0x0f0f0f0f
                        hi = (((word & 0x0f0f0f0f) + odd + 2*ones) * 0x01010101) & 0xffffffff
                        lo = (hi - odd - ones) & 0xffffffff
                        his.append(hi); los.append(lo); runs.append(hi >> 24)
                    inc = [sum(runs[:l+1]) for l in range(32)]
                    if not whole and u == 0 and base < start:
                        e = start - base - 1
                        carry -= byte(his[0] if e & 1 else los[0], e >> 1)
                    for lane in range(32):
                        vp = base + (u*32+lane)*V
                        before = carry + inc[lane] - runs[lane]
                        for e in range(V):
                            step = byte(his[lane] if e & 1 else los[lane], e >> 1)
                            q = vp + e
                            if whole or (q >= start and q < end):
                                assert q not in got; got[q] = before + step
                    carry += inc[31]
                base += U*32*V
            assert got == col, (V, U, start, end)
            start = end
    print('ok', V, U)
for V in (2, 4, 8):
    for U in (1, 2):
        check(V, U, 300)
