#!/usr/bin/env python3
"""Generates the malformed-input corpus in Malformed/ (run once; the files are committed).

Each file has exactly one defect; MalformedCorpusTests.swift maps every file to the
error kind it must produce. Needs numpy only. Deterministic: rerunning gives the same bytes
(zip timestamps are fixed).
"""
import io, os, struct, zipfile, json, zlib
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
put("npy_shape_larger_than_file.npy", npy_raw("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }", b"\0" * 16))

# --- npz (scipy save_npz layout) ---
# 3x4 matrix with 4 entries: row 0 {0, 2}, row 1 {}, row 2 {1, 3}
idx, ptr, val = [0, 2, 1, 3], [0, 2, 2, 4], np.array([1, 2, 3, 4], np.float32)
put("npz_index_out_of_range.npz", csr_npz(np.array([0, 2, 1, 4], np.int32), np.array(ptr, np.int32), val, (3, 4)))
put("npz_indptr_decreasing.npz", csr_npz(np.array(idx, np.int32), np.array([0, 3, 2, 4], np.int32), val, (3, 4)))
put("npz_indptr_end.npz", csr_npz(np.array(idx, np.int32), np.array([0, 2, 2, 3], np.int32), val, (3, 4)))
put("npz_wrong_format.npz", csr_npz(np.array(idx, np.int32), np.array(ptr, np.int32), val, (3, 4), fmt=b"dia"))
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


# --- npz: sizes that the rest of the file does not justify (issue 14) ---
def raw_zip(members):
    """A zip written by hand so sizes can lie: members are (name, method, crc, declared_size, payload)."""
    out, central = bytearray(), bytearray()
    for name, method, crc, size, payload in members:
        n = (name + ".npy").encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x5021, crc, len(payload), size, len(n), 0) + n + payload
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x5021, crc, len(payload), size,
                               len(n), 0, 0, 0, 0, 0, offset) + n
    return bytes(out + central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0))


def deflated_zeros(prefix, zeros):
    """A raw deflate stream of `prefix` then `zeros` zero bytes, built from one repeated
    full-flush segment (about 1 KiB per MiB), and its CRC-32, without holding the zeros."""
    mib = 1 << 20
    assert zeros % mib == 0
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    seg = c.compress(bytes(mib)) + c.flush(zlib.Z_FULL_FLUSH)
    assert seg == c.compress(bytes(mib)) + c.flush(zlib.Z_FULL_FLUSH)  # history is reset at each full flush
    crc = zlib.crc32(prefix)
    block = bytes(mib)
    for _ in range(zeros // mib):
        crc = zlib.crc32(block, crc)
    return head + seg * (zeros // mib) + c.flush(zlib.Z_FINISH), crc


def stored(name, data):
    return (name, 0, zlib.crc32(data), len(data), data)


def npy_header(descr, shape):
    return npy_raw("{'descr': '%s', 'fortran_order': False, 'shape': %r, }" % (descr, tuple(shape)), b"")


# 24 nonzeros in a 6x8 matrix: 4 per row
ptr24 = np.arange(0, 25, 4, dtype=np.int32)
idx24 = np.tile(np.array([0, 2, 5, 7], np.int32), 6)
small24 = [stored("indices", npy_bytes(idx24)), stored("indptr", npy_bytes(ptr24)), stored("format", npy_bytes(np.array(b"csr"))),
           stored("shape", npy_bytes(np.array((6, 8), np.int64)))]
# The case: a 2 GiB zero-filled data member (honest sizes) in a ~2 MB file; refused before inflating.
big = 2 << 30
stream, crc = deflated_zeros(npy_header("<f4", (big // 4,)), big)
put("npz_data_member_2gib.npz", raw_zip(small24 + [("data", 8, crc, len(npy_header("<f4", (big // 4,))) + big, stream)]))
# The zip directory says 224 bytes, the npy header inside says 2^24 values: refused from the header.
stream, crc = deflated_zeros(npy_header("<f4", (1 << 24,)), 64 << 20)
put("npz_data_header_lies.npz", raw_zip(small24 + [("data", 8, crc, 128 + 96, stream)]))
# Directory and npy header both say 24 values, the stream inflates to 64 MiB: stopped at the first byte too many.
stream, crc = deflated_zeros(npy_header("<f4", (24,)), 64 << 20)
put("npz_data_inflates_past.npz", raw_zip(small24 + [("data", 8, crc, 128 + 96, stream)]))
# A CSR of 2e9 rows needs 8 GB of row offsets: refused under the memory limit before indptr is inflated.
put("npz_rows_over_memory_limit.npz", csr_npz(np.array(idx, np.int32), np.array(ptr, np.int32), val, (2000000000, 2000000000)))
# COO and CSC defects
coo_members = lambda row, col, data, shape: zip_members([("row", npy_bytes(np.asarray(row, np.int32))), ("col", npy_bytes(np.asarray(col, np.int32))),
                                                         ("format", npy_bytes(np.array(b"coo"))), ("shape", npy_bytes(np.array(shape, np.int64))),
                                                         ("data", npy_bytes(np.asarray(data, np.float32)))])
put("npz_coo_col_count.npz", coo_members([0, 1, 2, 2], [0, 1, 3], [1, 2, 3, 4], (3, 4)))
put("npz_coo_row_out_of_range.npz", coo_members([0, 1, 5, 2], [0, 1, 3, 2], [1, 2, 3, 4], (3, 4)))
put("npz_csc_row_out_of_range.npz", csr_npz(np.array([0, 2, 1, 3], np.int32), np.array([0, 2, 2, 3, 4], np.int32), val, (3, 4), fmt=b"csc"))
put("npz_data_wrong_count.npz", csr_npz(np.array(idx, np.int32), np.array(ptr, np.int32), np.ones(5, np.float32), (3, 4)))

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
# A 100 kB header of one long shape array would become millions of parse-tree nodes.
put("st_shape_too_long.safetensors", safetensors(raw_header=b'{"a":{"dtype":"F32","shape":[' + b",".join([b"1"] * 50000) + b'],"data_offsets":[0,4]}}',
                                                 data=b"\0" * 4))

# --- Matrix Market ---
put("mtx_bad_banner.mtx", b"%%MatrixMarkt matrix coordinate real general\n2 2 1\n1 1 1.0\n")
put("mtx_wrong_entry_count.mtx", b"%%MatrixMarket matrix coordinate real general\n% comment\n2 2 3\n1 1 1.0\n2 2 2.0\n")
put("mtx_too_many_entries.mtx", b"%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1.0\n2 2 2.0\n")
put("mtx_index_out_of_range.mtx", b"%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1.0\n3 1 2.0\n")
put("mtx_non_numeric.mtx", b"%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1.0\n2 2 abc\n")
# issue 14: 100 bytes that declare a 2e9 x 2e9 matrix (8 GB of row offsets) and a dense file far larger than itself
put("mtx_rows_over_memory_limit.mtx", b"%%MatrixMarket matrix coordinate real general\n2000000000 2000000000 3\n1 1 1.0\n2 2 2.0\n3 3 3.0\n")
put("mtx_array_larger_than_file.mtx", b"%%MatrixMarket matrix array real general\n100000 100000\n1.0\n2.0\n3.0\n")
put("mtx_complex.mtx", b"%%MatrixMarket matrix coordinate complex general\n2 2 1\n1 1 1.0 0.0\n")

# --- DLMC smtx ---
put("smtx_truncated.smtx", b"3, 4, 4\n0 2 2 4\n")
put("smtx_wrong_nnz.smtx", b"3, 4, 5\n0 2 2 5\n0 2 1 3\n")
put("smtx_column_out_of_range.smtx", b"3, 4, 4\n0 2 2 4\n0 2 1 4\n")
put("smtx_non_numeric.smtx", b"3, 4, 4\n0 2 x 4\n0 2 1 3\n")
put("smtx_counts_larger_than_file.smtx", b"2000000000, 2000000000, 3\n0 1 2 3\n0 1 2\n")
put("smtx_decreasing_offsets.smtx", b"3, 4, 4\n0 3 2 4\n0 2 1 3\n")

print(len(os.listdir(OUT)), "files in", OUT)
