"""Hugging Face tokenizers' ids for a corpus, as sentence-transformers asks for them.

usage: hf_tokenize.py TOKENIZER_JSON MAX_LENGTH CORPUS_JSONL BATCH_SIZE OUT_JSON

CORPUS_JSONL holds one JSON string per line. Writes {"single": [{"ids", "type_ids", "mask"}...],
"batches": [{"ids": [[...]], "mask": [[...]]}...]}: each line alone (truncated to MAX_LENGTH, no
padding), then the corpus in batches of BATCH_SIZE padded to each batch's longest.
"""
import json
import sys

from tokenizers import Tokenizer

path, max_length, corpus, batch_size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
with open(corpus, encoding="utf-8") as f:
    # Split on "\n" only: the lines hold characters (U+0085, U+2028) that other line splitting breaks at.
    texts = [json.loads(line) for line in f.read().split("\n") if line]

tokenizer = Tokenizer.from_file(path)
# The file declares truncation and fixed padding to 128; sentence-transformers overrides both.
tokenizer.enable_truncation(max_length=max_length)
tokenizer.no_padding()
single = [{"ids": e.ids, "type_ids": e.type_ids, "mask": e.attention_mask} for e in tokenizer.encode_batch(texts)]
pad_id = tokenizer.token_to_id("[PAD]") or 0
tokenizer.enable_padding(pad_id=pad_id, pad_token="[PAD]")
batches = []
for start in range(0, len(texts), batch_size):
    encodings = tokenizer.encode_batch(texts[start:start + batch_size])
    batches.append({"ids": [e.ids for e in encodings], "mask": [e.attention_mask for e in encodings]})
with open(out, "w") as f:
    json.dump({"single": single, "batches": batches}, f)
