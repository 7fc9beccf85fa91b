"""The dataset classifier's forward pass in PyTorch, from a train-classifier node's weights.safetensors.

Usage: python3 classifier_forward.py WEIGHTS.safetensors IO.safetensors
IO holds 'images' [B, C, H, W] and DJL's outputs 'features' and 'logits' for them. Prints the largest
absolute differences and exits 1 when one exceeds 1e-4. The safetensors files are parsed here with
struct and json (no safetensors package needed), as docs/weights.md describes the format.
"""
import json
import re
import struct
import sys

import torch
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32, "I64": torch.int64, "U8": torch.uint8}


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    metadata = header.pop("__metadata__", {})
    data = bytearray(raw[8 + n:])
    tensors = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        dtype = DTYPES[e["dtype"]]
        count = (end - begin) // torch.empty(0, dtype=dtype).element_size()
        t = torch.frombuffer(data, dtype=dtype, count=count, offset=begin) if count else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(e["shape"]).clone()
    return tensors, metadata


def groups_for(channels):
    """lab.d2c.model.nn.GroupNorm.groupsFor: the largest divisor of the width that is at most 32."""
    for g in range(min(32, channels), 1, -1):
        if channels % g == 0:
            return g
    return 1


def forward(w, images):
    convs = sorted({(int(m.group(1)), int(m.group(2))) for k in w
                    for m in [re.fullmatch(r"trunk\.level(\d+)_conv(\d+)\.weight", k)] if m})
    levels = sorted({level for level, _ in convs})
    h = images
    for level in levels:
        for conv in sorted(c for l, c in convs if l == level):
            p = f"trunk.level{level}_"
            h = F.conv2d(h, w[f"{p}conv{conv}.weight"], w[f"{p}conv{conv}.bias"], padding=1)
            gamma, beta = w[f"{p}norm{conv}.gamma"], w[f"{p}norm{conv}.beta"]
            h = F.relu(F.group_norm(h, groups_for(gamma.shape[0]), gamma, beta, eps=1e-6))
        h = F.max_pool2d(h, 2)
    feats = F.relu(F.linear(h.reshape(h.shape[0], -1), w["features.weight"], w["features.bias"]))
    return feats, F.linear(feats, w["head.weight"], w["head.bias"])


def main():
    torch.set_num_threads(1)
    weights, metadata = load(sys.argv[1])
    io, _ = load(sys.argv[2])
    print("metadata:", json.dumps(metadata, sort_keys=True))
    with torch.no_grad():
        feats, logits = forward(weights, io["images"])
    worst = 0.0
    for name, ours in (("features", feats), ("logits", logits)):
        diff = (ours - io[name]).abs().max().item()
        print(f"{name}: shape {list(ours.shape)}, max |torch - djl| = {diff:.3g}")
        worst = max(worst, diff)
    sys.exit(0 if worst <= 1e-4 else 1)


if __name__ == "__main__":
    main()
