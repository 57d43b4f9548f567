#!/usr/bin/env bash
# Builds a self-contained `sparrow` (Swift runtime and Foundation linked statically) into
# .device/, stripped and xz-compressed, to carry to a GPU machine that has no Swift.
# There: `xz -dk .device/sparrow.xz && ./.device/sparrow doctor`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.device
mkdir -p "$out"
# Always from scratch: an incremental release build once linked a `sparrow` module compiled
# against an older layout of a KernelGen struct (a field read back as garbage on the GPU).
rm -rf "$(swift build -c release --static-swift-stdlib --show-bin-path)"
# The commit goes into the binary (reports name it; git on the GPU machine names another checkout).
commit=$(git describe --always --dirty --abbrev=7 2>/dev/null || echo unknown)
swift build -c release --static-swift-stdlib --product sparrow -Xcc "-DSPARROW_BUILD_COMMIT=\"$commit\""
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)/sparrow
cp "$bin" "$out/sparrow"
strip "$out/sparrow"
rm -f "$out/sparrow.xz"
xz -T0 -k -f "$out/sparrow"
rm "$out/sparrow"
echo "$commit" > "$out/COMMIT"
# The benchmark suites need the DLMC tarballs on the GPU machine (../shared is not there).
for f in ../shared/data/dlmc-*.tar.xz; do [ -f "$f" ] && cp -u "$f" "$out/"; done
ls -la "$out"
