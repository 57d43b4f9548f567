#!/usr/bin/env python3
"""Writes a BERT-base-shaped sentence encoder folder with seeded random weights, for Sparrow's
large-shape benchmarks (sparrow bench model, sparrow embed): 12 layers, hidden 768, 12 heads,
FFN 3072, vocabulary 30522, 512 positions; weights ~ N(0, 0.02) as BERT initialises them
(LayerNorm scale 1, shift 0), float32. The tokenizer and sentence-transformers files are
all-MiniLM-L6-v2's (scripts/get-model.sh), the pooling file rewritten for hidden 768.

  bert-base-weights.py OUT_DIR [--tokenizer-from MINILM_DIR] [--seed N] [--layers L] [--config bert-base|minilm]

--config minilm writes all-MiniLM-L6-v2's shapes instead (6 layers, hidden 384, 12 heads, FFN 1536,
max_seq_length 256): seeded weights of the checkpoint's shapes, for the GPU machine, where the
91 MB checkpoint cannot be copied.

Needs numpy and safetensors (scripts/setup.sh installs them). About 440 MB.
"""
import argparse
import json
import os
import shutil

import numpy as np
from safetensors.numpy import save_file

CONFIG = {
    "architectures": ["BertModel"], "model_type": "bert", "hidden_act": "gelu", "hidden_size": 768,
    "num_hidden_layers": 12, "num_attention_heads": 12, "intermediate_size": 3072, "layer_norm_eps": 1e-12,
    "max_position_embeddings": 512, "type_vocab_size": 2, "vocab_size": 30522, "pad_token_id": 0,
    "initializer_range": 0.02, "position_embedding_type": "absolute",
}
MINILM = dict(CONFIG, hidden_size=384, num_hidden_layers=6, intermediate_size=1536)
COPIED = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "modules.json",
          "sentence_bert_config.json", "config_sentence_transformers.json"]


def weights(config, seed):
    rng = np.random.default_rng(seed)
    h, i = config["hidden_size"], config["intermediate_size"]

    def normal(*shape):
        return (rng.standard_normal(shape, dtype=np.float32) * config["initializer_range"]).astype(np.float32)

    t = {
        "embeddings.word_embeddings.weight": normal(config["vocab_size"], h),
        "embeddings.position_embeddings.weight": normal(config["max_position_embeddings"], h),
        "embeddings.token_type_embeddings.weight": normal(config["type_vocab_size"], h),
        "embeddings.LayerNorm.weight": np.ones(h, np.float32),
        "embeddings.LayerNorm.bias": np.zeros(h, np.float32),
    }
    for layer in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."
        for name, (rows, cols) in {
            "attention.self.query": (h, h), "attention.self.key": (h, h), "attention.self.value": (h, h),
            "attention.output.dense": (h, h), "intermediate.dense": (i, h), "output.dense": (h, i),
        }.items():
            t[p + name + ".weight"] = normal(rows, cols)
            t[p + name + ".bias"] = np.zeros(rows, np.float32)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            t[p + norm + ".weight"] = np.ones(h, np.float32)
            t[p + norm + ".bias"] = np.zeros(h, np.float32)
    return t


def main():
    cache = os.environ.get("SPARROW_CACHE_DIR", os.path.expanduser("~/.cache/sparrow"))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--tokenizer-from", default=os.path.join(cache, "models", "all-MiniLM-L6-v2"))
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--layers", type=int, default=None)
    parser.add_argument("--config", choices=["bert-base", "minilm"], default="bert-base")
    args = parser.parse_args()
    base = MINILM if args.config == "minilm" else CONFIG
    if not os.path.isfile(os.path.join(args.tokenizer_from, "tokenizer.json")):
        parser.error(f"no tokenizer.json in {args.tokenizer_from} (run scripts/get-model.sh, or give --tokenizer-from)")
    config = dict(base, num_hidden_layers=args.layers or base["num_hidden_layers"])
    os.makedirs(os.path.join(args.out, "1_Pooling"), exist_ok=True)
    for name in COPIED:
        source = os.path.join(args.tokenizer_from, name)
        if os.path.isfile(source):
            shutil.copyfile(source, os.path.join(args.out, name))
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    pooling = {"word_embedding_dimension": config["hidden_size"], "pooling_mode_cls_token": False,
               "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False}
    with open(os.path.join(args.out, "1_Pooling", "config.json"), "w") as f:
        json.dump(pooling, f, indent=2)
    save_file(weights(config, args.seed), os.path.join(args.out, "model.safetensors"),
              metadata={"note": f"seeded random {args.config}-shaped weights, seed {args.seed}; not a trained model"})
    print(f"wrote {args.out}: {config['num_hidden_layers']} layers, hidden {config['hidden_size']}, seed {args.seed}")


if __name__ == "__main__":
    main()
