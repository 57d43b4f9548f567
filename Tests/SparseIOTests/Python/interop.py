#!/usr/bin/env python3
"""Interop fixtures for SparseIO's tests.

  interop.py write DIR   writes files with scipy/numpy/safetensors and DIR/expected.json
  interop.py check DIR   reads the files Swift wrote (listed in DIR/swift.json) and compares

Values are decimal strings (repr / Swift description), parsed exactly on both sides.
expected.json / swift.json map file name -> {"kind": "sparse"|"dense"|"tensors", ...}:
  sparse: {"shape": [r, c], "dense": row-major values, "format": "csr"|"bsr", "dtype": ...}
  dense:  {"dtype": numpy name, "shape": [...], "values": flat C-order values}
  tensors: {"tensors": {name: dense entry}, "metadata": {...}}
"""
import json, os, sys
import numpy as np
import scipy.io, scipy.sparse as sp
from safetensors.numpy import save_file, load_file


def dense_entry(a):
    return {"dtype": str(a.dtype), "shape": list(a.shape), "values": [repr(float(x)) for x in np.asarray(a).reshape(-1)]}


def sparse_entry(m):
    return {"shape": list(m.shape), "dense": [repr(float(x)) for x in m.toarray().reshape(-1)], "format": m.format,
            "dtype": str(m.dtype)}


def write(d):
    rng = np.random.default_rng(7)
    exp = {}
    dense = sp.random(7, 5, density=0.4, dtype=np.float32, random_state=1).toarray()
    dense[3, :] = 0  # an empty row
    a = sp.csr_matrix(dense)
    sp.save_npz(os.path.join(d, "csr_f32.npz"), a)
    exp["csr_f32.npz"] = sparse_entry(a)
    b = sp.random(6, 9, density=0.3, format="csr", dtype=np.float64, random_state=2)
    sp.save_npz(os.path.join(d, "csr_f64_stored.npz"), b, compressed=False)
    exp["csr_f64_stored.npz"] = sparse_entry(b)
    c = sp.random(8, 6, density=0.5, format="csr", dtype=np.float32, random_state=3)
    c.indices = c.indices.astype(np.int64)
    c.indptr = c.indptr.astype(np.int64)
    sp.save_npz(os.path.join(d, "csr_int64.npz"), c)
    exp["csr_int64.npz"] = sparse_entry(c)
    # unsorted columns and a duplicate (summed on load, as scipy does)
    u = sp.csr_matrix((np.array([1.5, 2.0, 3.0, 4.0], np.float32), np.array([3, 0, 3, 1], np.int32),
                       np.array([0, 3, 3, 4], np.int32)), shape=(3, 4))
    sp.save_npz(os.path.join(d, "csr_unsorted.npz"), u)
    exp["csr_unsorted.npz"] = sparse_entry(u)
    bs = sp.bsr_matrix(sp.random(6, 8, density=0.3, random_state=4, dtype=np.float32).toarray(), blocksize=(2, 4))
    sp.save_npz(os.path.join(d, "bsr_f32.npz"), bs)
    exp["bsr_f32.npz"] = sparse_entry(bs)
    bs2 = sp.bsr_matrix(sp.random(4, 6, density=0.4, random_state=5).toarray(), blocksize=(2, 3))
    sp.save_npz(os.path.join(d, "bsr_f64_stored.npz"), bs2, compressed=False)
    exp["bsr_f64_stored.npz"] = sparse_entry(bs2)
    # COO (duplicates summed on load, as scipy's tocsr) and CSC: Sparrow reads both as canonical CSR.
    coo = sp.coo_matrix((np.array([1.5, 2.0, 3.0, -4.0, 0.25], np.float32), (np.array([2, 0, 2, 4, 0]), np.array([1, 3, 1, 0, 3]))),
                        shape=(5, 4))
    sp.save_npz(os.path.join(d, "coo_f32.npz"), coo)
    exp["coo_f32.npz"] = dict(sparse_entry(coo), format="csr")
    coo_arr = sp.coo_array(sp.random(7, 3, density=0.5, random_state=8, dtype=np.float64))
    sp.save_npz(os.path.join(d, "coo_array_f64_stored.npz"), coo_arr, compressed=False)
    exp["coo_array_f64_stored.npz"] = dict(sparse_entry(coo_arr), format="csr")
    empty_coo = sp.coo_matrix((3, 2), dtype=np.float32)
    sp.save_npz(os.path.join(d, "coo_empty.npz"), empty_coo)
    exp["coo_empty.npz"] = dict(sparse_entry(empty_coo), format="csr")
    csc = sp.random(6, 9, density=0.3, format="csc", dtype=np.float32, random_state=9)
    sp.save_npz(os.path.join(d, "csc_f32.npz"), csc)
    exp["csc_f32.npz"] = dict(sparse_entry(csc), format="csr")
    csc64 = sp.csc_array(sp.random(5, 1, density=0.6, random_state=10))
    csc64.indices = csc64.indices.astype(np.int64)
    csc64.indptr = csc64.indptr.astype(np.int64)
    sp.save_npz(os.path.join(d, "csc_f64_int64_stored.npz"), csc64, compressed=False)
    exp["csc_f64_int64_stored.npz"] = dict(sparse_entry(csc64), format="csr")
    scipy.io.mmwrite(os.path.join(d, "general.mtx"), b)
    exp["general.mtx"] = sparse_entry(b)
    s = sp.random(5, 5, density=0.4, random_state=6)
    s = (s + s.T).tocsr()
    scipy.io.mmwrite(os.path.join(d, "symmetric.mtx"), s, symmetry="symmetric")
    exp["symmetric.mtx"] = sparse_entry(s)
    for dt in ["float16", "float32", "float64", "int32", "int64", "bool"]:
        for shape in [(), (0,), (5,), (3, 4), (0, 0), (2, 3, 2)]:
            arr = (rng.standard_normal(shape) * 100).astype(dt)
            name = "npy_%s_%s.npy" % (dt, "x".join(map(str, shape)) or "scalar")
            np.save(os.path.join(d, name), arr)
            exp[name] = dense_entry(arr)
    big = np.arange(12, dtype=">f8").reshape(3, 4)
    np.save(os.path.join(d, "npy_bigendian.npy"), big)
    exp["npy_bigendian.npy"] = dense_entry(big.astype("<f8"))
    tensors = {"w": rng.standard_normal((4, 3)).astype(np.float32), "b": np.arange(3, dtype=np.int64),
               "h": rng.standard_normal((2, 2)).astype(np.float16), "i8": np.array([-3, 5], np.int8),
               "u8": np.array([0, 255], np.uint8), "i16": np.array([-300], np.int16), "i32": np.array([7], np.int32),
               "d": np.array([[1.25]]), "m": np.array([True, False]), "empty": np.zeros((0, 3), np.float32)}
    save_file(tensors, os.path.join(d, "model.safetensors"), metadata={"format": "np", "note": "hi"})
    exp["model.safetensors"] = {"tensors": {k: dense_entry(v) for k, v in tensors.items()},
                                "metadata": {"format": "np", "note": "hi"}}
    np.savez(os.path.join(d, "plain.npz"), x=np.arange(6, dtype=np.float32).reshape(2, 3), y=np.array([1, 2], np.int64))
    exp["plain.npz"] = {"tensors": {"x": dense_entry(np.arange(6, dtype=np.float32).reshape(2, 3)),
                                    "y": dense_entry(np.array([1, 2], np.int64))}, "metadata": {}}
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump(exp, f)


def same(name, got, want):
    # Values travel as decimal strings: exact both ways, unlike some JSON number parsers.
    got, want = np.asarray(got, dtype=np.float64), np.array([float(x) for x in want], dtype=np.float64)
    if got.shape != want.shape or not np.array_equal(got, want):
        raise SystemExit("%s: values differ: got %s want %s" % (name, got.tolist(), want.tolist()))


def check(d):
    with open(os.path.join(d, "swift.json")) as f:
        spec = json.load(f)
    for name, e in spec.items():
        path = os.path.join(d, name)
        if name.endswith(".npz") and "dense" in e:
            m = sp.load_npz(path)
            assert m.format == e["format"], (name, m.format)
            assert list(m.shape) == e["shape"], (name, m.shape)
            assert str(m.dtype) == e["dtype"], (name, m.dtype)
            assert m.indices.dtype == np.int32 and m.indptr.dtype == np.int32, name
            same(name, m.toarray().reshape(-1), e["dense"])
        elif name.endswith(".mtx"):
            m = scipy.io.mmread(path)
            assert list(m.shape) == e["shape"], (name, m.shape)
            same(name, sp.csr_matrix(m).toarray().reshape(-1), e["dense"])
        elif name.endswith(".npy"):
            a = np.load(path)
            assert str(a.dtype) == e["dtype"] and list(a.shape) == e["shape"], (name, a.dtype, a.shape)
            same(name, a.reshape(-1), e["values"])
        elif name.endswith(".safetensors") or name.endswith(".npz"):
            t = load_file(path) if name.endswith(".safetensors") else dict(np.load(path))
            assert sorted(t) == sorted(e["tensors"]), (name, sorted(t))
            for k, v in e["tensors"].items():
                assert str(t[k].dtype) == v["dtype"] and list(t[k].shape) == v["shape"], (name, k, t[k].dtype, t[k].shape)
                same(name + ":" + k, t[k].reshape(-1), v["values"])
            if name.endswith(".safetensors"):
                from safetensors import safe_open
                with safe_open(path, "np") as f:
                    assert (f.metadata() or {}) == e["metadata"], (name, f.metadata())
        else:
            raise SystemExit("unknown file " + name)
    print("checked %d files" % len(spec))


if __name__ == "__main__":
    {"write": write, "check": check}[sys.argv[1]](sys.argv[2])
