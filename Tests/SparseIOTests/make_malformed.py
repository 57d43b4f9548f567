#!/usr/bin/env python3
"""Generates the malformed-input corpus in Malformed/ (run once; the files are committed).

Each file has exactly one defect; MalformedCorpusTests.swift maps every file to the
error kind it must produce. Needs numpy only. Deterministic: rerunning gives the same bytes
(zip timestamps are fixed).
"""
import io, os, struct, zipfile, json
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Malformed")
os.makedirs(OUT, exist_ok=True)


def put(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def npy_bytes(arr):
    buf = io.BytesIO()
    np.save(buf, arr)
    return buf.getvalue()


def npy_raw(header_dict_text, data, version=(1, 0)):
    """A .npy with a hand-written header (padded to 64 like NumPy)."""
    h = header_dict_text
    prefix = 10 if version == (1, 0) else 12
    pad = (64 - (prefix + len(h) + 1) % 64) % 64
    h = (h + " " * pad + "\n").encode("latin1")
    fmt = "<H" if version == (1, 0) else "<I"
    return b"\x93NUMPY" + bytes(version) + struct.pack(fmt, len(h)) + h + data


def zip_members(members, compress=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compress) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name + ".npy", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = compress
            z.writestr(info, data)
    return buf.getvalue()


def csr_npz(indices, indptr, data, shape, fmt=b"csr", drop=None, compress=zipfile.ZIP_DEFLATED):
    members = [("indices", npy_bytes(np.asarray(indices))), ("indptr", npy_bytes(np.asarray(indptr))),
               ("format", npy_bytes(np.array(fmt))), ("shape", npy_bytes(np.array(shape, dtype=np.int64))),
               ("data", npy_bytes(np.asarray(data)))]
    return zip_members([m for m in members if m[0] != drop], compress)


def safetensors(header_obj=None, data=b"", raw_header=None, declared=None):
    h = raw_header if raw_header is not None else json.dumps(header_obj, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    n = len(h) if declared is None else declared
    return struct.pack("<Q", n) + h + data


f4 = np.arange(6, dtype=np.float32).reshape(2, 3)
good = npy_bytes(f4)

# --- npy ---
put("npy_truncated.npy", good[:-5])
put("npy_bad_magic.npy", b"\x93NUMPZ" + good[6:])
put("npy_header_too_large.npy", npy_raw("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), " + " " * 20000 + "}",
                                        np.zeros(1, np.float32).tobytes(), version=(2, 0)))
put("npy_fortran_order.npy", npy_raw("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", f4.tobytes()))
put("npy_object_dtype.npy", npy_raw("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", b"\x80\x04N."[:8].ljust(8, b"\0")))
put("npy_unsupported_dtype.npy", npy_bytes(np.zeros(2, dtype=np.complex128)))
put("npy_shape_data_mismatch.npy", npy_raw("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 4), }", np.zeros(9).tobytes()))
put("npy_trailing_bytes.npy", good + b"\0\0\0\0")
put("npy_bad_version.npy", good[:6] + b"\x04\x00" + good[8:])
put("npy_header_syntax.npy", npy_raw("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), ", f4.tobytes()))
put("npy_missing_key.npy", npy_raw("{'descr': '<f4', 'shape': (2, 3), }", f4.tobytes()))
put("npy_empty.npy", b"")

# --- npz (scipy save_npz layout) ---
# 3x4 matrix with 4 entries: row 0 {0, 2}, row 1 {}, row 2 {1, 3}
idx, ptr, val = [0, 2, 1, 3], [0, 2, 2, 4], np.array([1, 2, 3, 4], np.float32)
put("npz_index_out_of_range.npz", csr_npz(np.array([0, 2, 1, 4], np.int32), np.array(ptr, np.int32), val, (3, 4)))
put("npz_indptr_decreasing.npz", csr_npz(np.array(idx, np.int32), np.array([0, 3, 2, 4], np.int32), val, (3, 4)))
put("npz_indptr_end.npz", csr_npz(np.array(idx, np.int32), np.array([0, 2, 2, 3], np.int32), val, (3, 4)))
put("npz_wrong_format.npz", csr_npz(np.array(idx, np.int32), np.array(ptr, np.int32), val, (3, 4), fmt=b"coo"))
put("npz_missing_member.npz", csr_npz(np.array(idx, np.int32), np.array(ptr, np.int32), val, (3, 4), drop="indptr"))
# bsr 3x4 with 2x2 blocks: 3 is not divisible by 2
put("npz_bsr_not_divisible.npz", csr_npz(np.array([0], np.int32), np.array([0, 1], np.int32),
                                         np.ones((1, 2, 2), np.float32), (3, 4), fmt=b"bsr"))
put("npz_int64_index_overflow.npz", csr_npz(np.array([0, 2, 1, 2**40], np.int64), np.array(ptr, np.int64), val, (3, 4)))
# zip bomb: 2 MiB of zeros deflates to ~2 KiB; the test uses a 1 MiB cap.
bomb_data = npy_bytes(np.zeros(2 * 1024 * 1024 // 4, np.float32))
put("npz_bomb.npz", zip_members([("data", bomb_data)]))
# the same bomb lying about its size (headers say 100 bytes): caught by counting while inflating.
b = bytearray(zip_members([("data", bomb_data)]))
real = struct.pack("<I", len(bomb_data))
for pos in [i for i in range(len(b) - 3) if b[i:i + 4] == real]:
    b[pos:pos + 4] = struct.pack("<I", 100)
put("npz_bomb_lying.npz", bytes(b))
put("npz_corrupt_zip.npz", csr_npz(np.array(idx, np.int32), np.array(ptr, np.int32), val, (3, 4))[:90])
# stored member with one data byte flipped: CRC mismatch
c = bytearray(csr_npz(np.array(idx, np.int32), np.array(ptr, np.int32), val, (3, 4), compress=zipfile.ZIP_STORED))
c[41 + 130] ^= 0xFF  # inside indices.npy's data (local header 30 + name 11 bytes, npy header 128)
put("npz_bad_crc.npz", bytes(c))

# --- safetensors ---
t = {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}
put("st_header_past_eof.safetensors", safetensors(t, b"\0" * 12, declared=4096))
put("st_header_too_large.safetensors", struct.pack("<Q", 200_000_000) + b"{}")
put("st_invalid_utf8.safetensors", safetensors(raw_header=b'{"a\xff\xfe":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', data=b"\0" * 4))
put("st_invalid_json.safetensors", safetensors(raw_header=b'{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},}', data=b"\0" * 4))
put("st_overlapping_offsets.safetensors", safetensors({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                                                       "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}, b"\0" * 12))
put("st_gap_between_offsets.safetensors", safetensors({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                                                       "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}, b"\0" * 12))
put("st_size_mismatch.safetensors", safetensors({"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}, b"\0" * 8))
put("st_trailing_bytes.safetensors", safetensors(t, b"\0" * 16))
put("st_duplicate_names.safetensors", safetensors(raw_header=b'{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},'
                                                  b'"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', data=b"\0" * 8))
put("st_unknown_dtype.safetensors", safetensors({"a": {"dtype": "F128", "shape": [1], "data_offsets": [0, 16]}}, b"\0" * 16))
put("st_too_short.safetensors", b"\x10\0\0")
put("st_data_truncated.safetensors", safetensors(t, b"\0" * 10))

# --- Matrix Market ---
put("mtx_bad_banner.mtx", b"%%MatrixMarkt matrix coordinate real general\n2 2 1\n1 1 1.0\n")
put("mtx_wrong_entry_count.mtx", b"%%MatrixMarket matrix coordinate real general\n% comment\n2 2 3\n1 1 1.0\n2 2 2.0\n")
put("mtx_too_many_entries.mtx", b"%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1.0\n2 2 2.0\n")
put("mtx_index_out_of_range.mtx", b"%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1.0\n3 1 2.0\n")
put("mtx_non_numeric.mtx", b"%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1.0\n2 2 abc\n")
put("mtx_complex.mtx", b"%%MatrixMarket matrix coordinate complex general\n2 2 1\n1 1 1.0 0.0\n")

# --- DLMC smtx ---
put("smtx_truncated.smtx", b"3, 4, 4\n0 2 2 4\n")
put("smtx_wrong_nnz.smtx", b"3, 4, 5\n0 2 2 5\n0 2 1 3\n")
put("smtx_column_out_of_range.smtx", b"3, 4, 4\n0 2 2 4\n0 2 1 4\n")
put("smtx_non_numeric.smtx", b"3, 4, 4\n0 2 x 4\n0 2 1 3\n")
put("smtx_decreasing_offsets.smtx", b"3, 4, 4\n0 3 2 4\n0 2 1 3\n")

print(len(os.listdir(OUT)), "files in", OUT)
