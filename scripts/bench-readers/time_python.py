#!/usr/bin/env python3
"""Best-of-N time of scipy.sparse.load_npz (.npz) or np.load (.npy) per file, in-process (warm cache)."""
import os, sys, time
import numpy as np
import scipy.sparse as sp

repeats = int(os.environ.get("REPEATS", "5"))
for path in sys.argv[1:]:
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        x = sp.load_npz(path) if path.endswith(".npz") else np.load(path)
        best = min(best, time.perf_counter() - t)
    print("python  %s %.3f s  (%s %s nnz=%s)" % (os.path.basename(path), best, type(x).__name__, x.shape, getattr(x, "nnz", "-")))
    if getattr(x, "format", "csr") in ("coo", "csc"):
        # Sparrow returns canonical CSR; the like-for-like scipy time includes .tocsr().
        best = float("inf")
        for _ in range(repeats):
            t = time.perf_counter()
            y = sp.load_npz(path).tocsr()
            best = min(best, time.perf_counter() - t)
        print("python  %s %.3f s  (load_npz(...).tocsr(): %s nnz=%d)" % (os.path.basename(path), best, type(y).__name__, y.nnz))
