#!/usr/bin/env python3
"""An independent float64 reference for Sparrow's sentence encoder: Hugging Face tokenizers for
the ids, then BERT's forward pass written out in numpy over the same safetensors file, mean pooling
over the attention mask and L2 normalisation (sentence-transformers' all-MiniLM-L6-v2 pipeline).

usage: reference-embed.py MODEL_DIR [TEXT ...] [--texts-file FILE.jsonl] [--weights FILE.safetensors]
                          [--max-length N] [--out FILE.json | FILE.npy]

Texts come from the arguments, else from --texts-file (one JSON string a line), else from standard
input (one text a line). --weights replaces MODEL_DIR/model.safetensors (a pruned copy). The maximum
length is sentence_bert_config.json's max_seq_length unless --max-length. Prints the embeddings as
JSON ({"ids": [[...]], "embeddings": [[...]]}) or writes them to --out (.json, or .npy: float64,
texts x hidden). Needs numpy, safetensors and tokenizers (scripts/setup.sh installs them).
"""
import argparse
import json
import math
import os
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

try:
    from scipy.special import erf
except ImportError:  # scipy is optional: math.erf elementwise is exact too, only slower
    erf = np.vectorize(math.erf)


def layer_norm(x, gamma, beta, eps):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def forward(w, cfg, ids, mask, types):
    """Hugging Face BertModel's last hidden state, in float64: (batch, seq, hidden)."""
    batch, seq = ids.shape
    hidden, heads = cfg["hidden_size"], cfg["num_attention_heads"]
    d = hidden // heads
    eps = cfg.get("layer_norm_eps", 1e-12)
    x = (w["embeddings.word_embeddings.weight"][ids]
         + w["embeddings.position_embeddings.weight"][:seq][None, :, :]
         + w["embeddings.token_type_embeddings.weight"][types])
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    # The additive padding mask BertModel builds: 0 for tokens, the most negative float for padding.
    additive = (1.0 - mask[:, None, None, :]) * np.finfo(np.float64).min

    def linear(name, v):
        return v @ w[name + ".weight"].T + w[name + ".bias"]

    def split(v):
        return v.reshape(batch, seq, heads, d).transpose(0, 2, 1, 3)

    for layer in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."
        q, k, v = (split(linear(p + "attention.self." + n, x)) for n in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(d) + additive
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probabilities = scores / scores.sum(axis=-1, keepdims=True)
        context = (probabilities @ v).transpose(0, 2, 1, 3).reshape(batch, seq, hidden)
        x = layer_norm(linear(p + "attention.output.dense", context) + x,
                       w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
        inner = linear(p + "intermediate.dense", x)
        inner = 0.5 * inner * (1.0 + erf(inner / math.sqrt(2.0)))
        x = layer_norm(linear(p + "output.dense", inner) + x,
                       w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    return x


def embed(model_dir, texts, weights=None, max_length=None):
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    if max_length is None:
        max_length = cfg.get("max_position_embeddings", 512)
        st_config = os.path.join(model_dir, "sentence_bert_config.json")
        if os.path.exists(st_config):
            with open(st_config) as f:
                max_length = min(max_length, json.load(f).get("max_seq_length", max_length))
    tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id("[PAD]") or 0, pad_token="[PAD]")
    encodings = tokenizer.encode_batch(texts)
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.float64)
    types = np.array([e.type_ids for e in encodings], dtype=np.int64)
    raw = load_file(weights or os.path.join(model_dir, "model.safetensors"))
    prefix = "bert." if "embeddings.word_embeddings.weight" not in raw and "bert.embeddings.word_embeddings.weight" in raw else ""
    w = {name[len(prefix):]: tensor.astype(np.float64) for name, tensor in raw.items() if name.startswith(prefix)}
    states = forward(w, cfg, ids, mask, types)
    pooled = (states * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
    normalized = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
    unpadded = [[i for i, m in zip(e.ids, e.attention_mask) if m] for e in encodings]
    return unpadded, normalized


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model_dir")
    parser.add_argument("texts", nargs="*")
    parser.add_argument("--texts-file")
    parser.add_argument("--weights")
    parser.add_argument("--max-length", type=int)
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.texts:
        texts = args.texts
    elif args.texts_file:
        with open(args.texts_file, encoding="utf-8") as f:
            texts = [json.loads(line) for line in f.read().split("\n") if line]
    else:
        texts = [line.rstrip("\n") for line in sys.stdin]
    ids, embeddings = embed(args.model_dir, texts, args.weights, args.max_length)
    if args.out and args.out.endswith(".npy"):
        np.save(args.out, embeddings)
        return
    text = json.dumps({"ids": ids, "embeddings": embeddings.tolist()})
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
