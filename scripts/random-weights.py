#!/usr/bin/env python3
"""Writes a safetensors file of seeded random dense fp32 weights, for benchmarks of pruned layers.

    scripts/random-weights.py OUT.safetensors --shape 512x512 2048x512 512x2048 [--seed 0]

Each tensor is named `layer<i>.weight` (shape rows x columns, values normal(0, 0.02)), so that
`sparrow prune OUT pruned.safetensors --sparsity 0.9 --pattern block:4x4` prunes it like a model
and `sparrow bench spmm pruned.safetensors` times every layer.
"""
import argparse

import numpy as np
from safetensors.numpy import save_file


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--shape", nargs="+", required=True, help="ROWSxCOLUMNS, space-separated")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    tensors = {}
    for i, shape in enumerate(args.shape):
        rows, columns = (int(v) for v in shape.lower().split("x"))
        tensors[f"layer{i}.weight"] = rng.normal(0, 0.02, size=(rows, columns)).astype(np.float32)
    save_file(tensors, args.out)


if __name__ == "__main__":
    main()
