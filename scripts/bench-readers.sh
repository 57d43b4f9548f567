#!/usr/bin/env bash
# Times Sparrow's file readers against scipy.sparse.load_npz / np.load on large files.
#   scripts/bench-readers.sh [DIR]   (default DIR: /tmp/sparrow-bench-readers)
# Builds SparseIO in release (only that target and its dependencies), links a tiny timing
# program against its objects, generates the files once with numpy/scipy, reads each once
# to warm the page cache, then prints best-of-5 times for both sides.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-/tmp/sparrow-bench-readers}
swift build -c release --target SparseIO >/dev/null
B=.build/release
OBJS=$(ls $B/SparseIO.build/*.o $B/SparseFormats.build/*.o $B/ZIPFoundation.build/*.o)
swiftc -O -I $B/Modules -Xcc -fmodule-map-file=Sources/SparrowZlib/module.modulemap -Xcc -fmodule-map-file=.build/checkouts/ZIPFoundation/Sources/CZLib/module.modulemap \
  scripts/bench-readers/main.swift $OBJS -lz -o $B/bench-readers
[ -f "$DIR/dense_128m.npy" ] || python3 scripts/bench-readers/make_files.py "$DIR"
FILES=$(ls "$DIR"/*.npz "$DIR"/*.npy)
cat $FILES > /dev/null
for f in $FILES; do
  python3 scripts/bench-readers/time_python.py "$f"
  $B/bench-readers "$f"
done
