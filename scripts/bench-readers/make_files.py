#!/usr/bin/env python3
"""Writes the large files the reader benchmark times (>= 100 MB each) into DIR.

csr_40m_{stored,compressed}.npz: a 200000 x 20000 float32 CSR matrix with 40 M stored
entries (200 per row, sorted and distinct), as scipy.sparse.save_npz writes it.
coo_20m_compressed.npz, csc_20m_stored.npz: the same kind of matrix with 20 M entries.
dense_128m.npy: an 8192 x 4096 float32 array (np.save).
"""
import os, sys
import numpy as np
import scipy.sparse as sp

d = sys.argv[1]
os.makedirs(d, exist_ok=True)
rng = np.random.default_rng(14)


def matrix(rows, per_row, columns):
    step = columns // per_row
    cols = (np.arange(per_row, dtype=np.int32) * step + rng.integers(0, step, (rows, per_row), dtype=np.int32)).reshape(-1)
    indptr = np.arange(0, rows * per_row + 1, per_row, dtype=np.int32)
    data = rng.standard_normal(rows * per_row, dtype=np.float32)
    return sp.csr_matrix((data, cols, indptr), shape=(rows, columns))


m = matrix(200000, 200, 20000)
sp.save_npz(os.path.join(d, "csr_40m_stored.npz"), m, compressed=False)
sp.save_npz(os.path.join(d, "csr_40m_compressed.npz"), m, compressed=True)
h = matrix(100000, 200, 20000)
sp.save_npz(os.path.join(d, "coo_20m_compressed.npz"), h.tocoo(), compressed=True)
sp.save_npz(os.path.join(d, "csc_20m_stored.npz"), h.tocsc(), compressed=False)
np.save(os.path.join(d, "dense_128m.npy"), rng.standard_normal((8192, 4096), dtype=np.float32))
for f in sorted(os.listdir(d)):
    print("%-26s %6.1f MB" % (f, os.path.getsize(os.path.join(d, f)) / 1e6))
