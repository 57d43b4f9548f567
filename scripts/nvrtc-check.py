#!/usr/bin/env python3
"""Compile generated CUDA kernels with NVRTC (no GPU needed) and report registers and spills.

Usage: scripts/nvrtc-check.py DIR_OR_FILES... [--arch sm_80 --arch sm_90] [--jobs N]

Loads libnvrtc from the `nvidia-cuda-nvrtc` wheel (or $SPARROW_NVRTC), adds the include folder of
the `nvidia-cuda-runtime` wheel (cuda_fp16.h, cuda_bf16.h) and compiles each .cu file to CUBIN for
every architecture with `--ptxas-options=-v`. Exit status 1 on any compile error or spill.

Kernels to check are dumped by the Swift tests:
    SPARROW_DUMP_KERNELS=/tmp/kernels swift test --filter KernelDumpTests
"""
import argparse
import ctypes
import glob
import os
import re
import site
import sys
from concurrent.futures import ProcessPoolExecutor


def site_dirs():
    dirs = list(site.getsitepackages()) + [site.getusersitepackages()]
    return [d for d in dirs if os.path.isdir(d)]


def find_nvrtc():
    explicit = os.environ.get("SPARROW_NVRTC")
    if explicit:
        return explicit
    patterns = ["nvidia/cu13/lib/libnvrtc.so*", "nvidia/cu12/lib/libnvrtc.so*", "nvidia/cuda_nvrtc/lib/libnvrtc.so*"]
    for d in site_dirs():
        for pattern in patterns:
            hits = sorted(p for p in glob.glob(os.path.join(d, pattern)) if "builtins" not in p and "alt" not in p)
            if hits:
                return hits[0]
    sys.exit("libnvrtc not found: pip install nvidia-cuda-nvrtc, or set SPARROW_NVRTC")


def find_include():
    for d in site_dirs():
        for sub in ["nvidia/cu13/include", "nvidia/cu12/include", "nvidia/cuda_runtime/include"]:
            path = os.path.join(d, sub)
            if os.path.isfile(os.path.join(path, "cuda_fp16.h")):
                return path
    sys.exit("cuda_fp16.h not found: pip install nvidia-cuda-runtime")


_nvrtc = None


def nvrtc():
    global _nvrtc
    if _nvrtc is None:
        lib = ctypes.CDLL(find_nvrtc())
        lib.nvrtcGetErrorString.restype = ctypes.c_char_p
        _nvrtc = lib
    return _nvrtc


def check(code, call):
    if code != 0:
        raise RuntimeError(f"{call}: {nvrtc().nvrtcGetErrorString(code).decode()}")


def compile_one(path, arch, include):
    """Returns (path, arch, ok, registers, spill_stores, spill_loads, smem, log)."""
    lib = nvrtc()
    with open(path, "rb") as f:
        source = f.read()
    prog = ctypes.c_void_p()
    check(lib.nvrtcCreateProgram(ctypes.byref(prog), source, os.path.basename(path).encode(), 0, None, None),
          "nvrtcCreateProgram")
    options = [f"--gpu-architecture={arch}", f"--include-path={include}", "--ptxas-options=-v", "--std=c++17"]
    array = (ctypes.c_char_p * len(options))(*[o.encode() for o in options])
    result = lib.nvrtcCompileProgram(prog, len(options), array)
    size = ctypes.c_size_t()
    check(lib.nvrtcGetProgramLogSize(prog, ctypes.byref(size)), "nvrtcGetProgramLogSize")
    buffer = ctypes.create_string_buffer(size.value)
    check(lib.nvrtcGetProgramLog(prog, buffer), "nvrtcGetProgramLog")
    log = buffer.value.decode(errors="replace")
    ok = result == 0
    if ok:
        cubin = ctypes.c_size_t()
        ok = lib.nvrtcGetCUBINSize(prog, ctypes.byref(cubin)) == 0 and cubin.value > 0
    lib.nvrtcDestroyProgram(ctypes.byref(prog))
    number = lambda pattern: int(m.group(1)) if (m := re.search(pattern, log)) else -1
    return (path, arch, ok, number(r"Used (\d+) registers"), number(r"(\d+) bytes spill stores"),
            number(r"(\d+) bytes spill loads"), number(r"(\d+) bytes smem"), log)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--arch", action="append", help="default: sm_80 and sm_90")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--verbose", action="store_true", help="print every ptxas log")
    args = parser.parse_args()
    archs = args.arch or ["sm_80", "sm_90"]
    files = []
    for p in args.paths:
        files += sorted(glob.glob(os.path.join(p, "*.cu"))) if os.path.isdir(p) else [p]
    include = find_include()
    print(f"nvrtc: {find_nvrtc()}\ninclude: {include}\n{len(files)} files x {archs}")
    jobs = [(f, a, include) for f in files for a in archs]
    failures = spills = 0
    registers = {}
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for path, arch, ok, regs, stores, loads, smem, log in pool.map(compile_one, *zip(*jobs)):
            name = os.path.basename(path)
            registers.setdefault(arch, []).append((regs, name))
            if not ok:
                failures += 1
                print(f"FAIL {arch} {name}\n{log}")
            elif stores > 0 or loads > 0:
                spills += 1
                print(f"SPILL {arch} {name}: {regs} registers, {stores} B spill stores, {loads} B spill loads")
            if args.verbose:
                print(f"{arch} {name}: {regs} regs, spill {stores}/{loads} B, smem {smem} B")
    for arch, values in registers.items():
        regs = sorted(values)
        print(f"{arch}: registers min {regs[0][0]} ({regs[0][1]}), median {regs[len(regs) // 2][0]}, "
              f"max {regs[-1][0]} ({regs[-1][1]})")
    print(f"{len(jobs)} compilations, {failures} failed, {spills} spilled")
    return 1 if failures or spills else 0


if __name__ == "__main__":
    sys.exit(main())
