#!/usr/bin/env python3
"""PyTorch eager side of `./d2c bench engine`.

Reads a JSON list of cases on stdin (the Java side sends the same shapes it timed), builds each
module in plain PyTorch, and prints one JSON object per case: median milliseconds of
forward + backward. The modules mirror model-lib's:

- "llama-block": LlamaGen's TransformerBlock as in lab.d2c.model.stage1.LlamaBlock: RMSNorm,
  bias-free wqkv and wo, 2D RoPE on q and k (interleaved pairs, first half of the pairs by row,
  second by column; class tokens unrotated), causal softmax attention, RMSNorm, SwiGLU with
  hidden = multiple_of * ceil(int(2 * 4 * width / 3) / multiple_of). No dropout on either side.
- "diffusion-head": MAR's SimpleMLPAdaLN as in lab.d2c.model.diffusion.DiffusionHead.
- "stage2-train": the whole stage-two training step (torch_stage2.TrainStep: the hybrid MAE with its
  Q-Former fusion, the head with learned sigma over diffusion_batch_mul rows, AdamW, EMA), as
  TrainingLoop runs it for lab.d2c.model.stage2.HybridModel.
- "d2c-sample": the whole stage-two sampling loop of one batch (torch_stage2.Sampler: the preset's AR
  steps, the head's respaced DDPM steps, classifier-free guidance), as HybridSampler runs it.

With --describe, prints each case's parameter count and the shapes two calls of its step ran (no
timing); with --count, the parameter count only: what the Java side's tests compare with the DJL model.

Run with Debian's python3-torch (/usr/bin/python3).
"""
import json
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

import torch_stage2


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope_tables(head_dim, grid, class_tokens, base, start, length):
    quarter, half = head_dim // 4, head_dim // 2
    cos = torch.ones(length, head_dim)
    sin = torch.zeros(length, head_dim)
    for s in range(start, start + length):
        if s < class_tokens:
            continue
        p = s - class_tokens
        for pair in range(half):
            axis = p // grid if pair < quarter else p % grid
            freq = base ** (-(2.0 * (pair % quarter)) / half)
            a = axis * freq
            cos[s - start, 2 * pair] = cos[s - start, 2 * pair + 1] = math.cos(a)
            sin[s - start, 2 * pair] = sin[s - start, 2 * pair + 1] = math.sin(a)
    return cos.view(1, length, 1, head_dim), sin.view(1, length, 1, head_dim)


def rotate(x, cos, sin):
    pairs = x.unflatten(-1, (-1, 2))
    turned = torch.stack((-pairs[..., 1], pairs[..., 0]), dim=-1).flatten(-2)
    return x * cos + turned * sin


class LlamaBlock(nn.Module):
    def __init__(self, width, heads, multiple_of, eps):
        super().__init__()
        self.heads, self.head_dim = heads, width // heads
        hidden = int(2 * 4 * width / 3)
        hidden = multiple_of * ((hidden + multiple_of - 1) // multiple_of)
        self.attention_norm = RMSNorm(width, eps)
        self.wqkv = nn.Linear(width, 3 * width, bias=False)
        self.wo = nn.Linear(width, width, bias=False)
        self.ffn_norm = RMSNorm(width, eps)
        self.w1 = nn.Linear(width, hidden, bias=False)
        self.w3 = nn.Linear(width, hidden, bias=False)
        self.w2 = nn.Linear(hidden, width, bias=False)

    def forward(self, x, mask, cos, sin):
        b, length, width = x.shape
        q, k, v = self.wqkv(self.attention_norm(x)).split(width, dim=-1)
        q = rotate(q.view(b, length, self.heads, self.head_dim), cos, sin).transpose(1, 2)
        k = rotate(k.view(b, length, self.heads, self.head_dim), cos, sin).transpose(1, 2)
        v = v.view(b, length, self.heads, self.head_dim).transpose(1, 2)
        scores = q @ k.transpose(2, 3) / math.sqrt(self.head_dim) + mask
        out = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, length, width)
        h = x + self.wo(out)
        f = self.ffn_norm(h)
        return h + self.w2(F.silu(self.w1(f)) * self.w3(f))


def modulate(x, shift, scale):
    return x * (1 + scale) + shift


class TimestepEmbedder(nn.Module):
    def __init__(self, width, frequencies=256):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(frequencies, width), nn.SiLU(), nn.Linear(width, width))

    def forward(self, t_freq):
        return self.mlp(t_freq)


class ResBlock(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.in_ln = nn.LayerNorm(width, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(width, width), nn.SiLU(), nn.Linear(width, width))
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(width, 3 * width))

    def forward(self, x, y):
        shift, scale, gate = self.adaLN_modulation(y).chunk(3, dim=-1)
        return x + gate * self.mlp(modulate(self.in_ln(x), shift, scale))


class FinalLayer(nn.Module):
    def __init__(self, width, channels):
        super().__init__()
        self.norm_final = nn.LayerNorm(width, elementwise_affine=False, eps=1e-6)
        self.linear = nn.Linear(width, channels)
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(width, 2 * width))

    def forward(self, x, y):
        shift, scale = self.adaLN_modulation(y).chunk(2, dim=-1)
        return self.linear(modulate(self.norm_final(x), shift, scale))


class DiffusionHead(nn.Module):
    def __init__(self, channels, width, depth, condition):
        super().__init__()
        self.input_proj = nn.Linear(channels, width)
        self.time_embed = TimestepEmbedder(width)
        self.cond_embed = nn.Linear(condition, width)
        self.res_blocks = nn.ModuleList([ResBlock(width) for _ in range(depth)])
        self.final_layer = FinalLayer(width, channels)

    def forward(self, x, t_freq, c):
        x = self.input_proj(x)
        y = self.time_embed(t_freq) + self.cond_embed(c)
        for block in self.res_blocks:
            x = block(x, y)
        return self.final_layer(x, y)


def stage2_case(case):
    """A stage-two case: its step, its module, and a function describing the shapes its steps ran."""
    if case["model"] == "stage2-train":
        train = torch_stage2.TrainStep(case)
        calls = [0]

        def step():
            train(calls[0])
            calls[0] += 1
        return step, train.model, lambda: {"masked_counts": train.masked_counts, "head_rows": train.head_rows,
                                           "trainable": sum(p.numel() for p in train.trainable)}
    sampler = torch_stage2.Sampler(case)
    calls = [0]

    def sample():
        sampler(calls[0])
        calls[0] += 1
    return sample, sampler.model, lambda: {"head_rows": sampler.head_rows,
                                           "diffusion_steps": len(sampler.model.sampling.timesteps)}


def time_case(case, describe=False):
    torch.manual_seed(0)
    if case["model"] in ("stage2-train", "d2c-sample"):
        step, module, shapes = stage2_case(case)
        result = {"id": case["id"], "parameters": sum(p.numel() for p in module.parameters())}
        if describe == "count":
            return result
        if describe:
            step()  # twice, to see what it runs
            step()
        else:
            times = timed(step, case)
            result.update({"ms": statistics.median(times), "ms_all": times})
        result["shapes"] = shapes()
        return result
    if case["model"] == "llama-block":
        b, length, width = case["batch"], case["length"], case["width"]
        module = LlamaBlock(width, case["heads"], case["ffn_multiple_of"], case["norm_eps"])
        cos, sin = rope_tables(width // case["heads"], case["grid"], case["class_tokens"], case["rope_base"], 0, length)
        mask = torch.full((length, length), float("-inf")).triu(1)
        inputs = (torch.randn(b, length, width), mask, cos, sin)
    elif case["model"] == "diffusion-head":
        n = case["rows"]
        module = DiffusionHead(case["channels"], case["width"], case["depth"], case["condition"])
        inputs = (torch.randn(n, case["channels"]), torch.randn(n, 256), torch.randn(n, case["condition"]))
    else:
        raise ValueError("unknown model " + case["model"])
    module.train()

    def step():
        out = module(*inputs)
        out.sum().backward()
        for p in module.parameters():
            p.grad = None

    if describe:
        return {"id": case["id"], "parameters": sum(p.numel() for p in module.parameters())}
    times = timed(step, case)
    return {"id": case["id"], "ms": statistics.median(times), "ms_all": times,
            "parameters": sum(p.numel() for p in module.parameters())}


def timed(step, case):
    """Milliseconds of each timed call after the untimed warmup calls."""
    for _ in range(case["warmup"]):
        step()
    times = []
    for _ in range(case["iterations"]):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000.0)
    return times


def loaded_blas():
    """The BLAS library this process really uses (Debian's torch calls the system libblas.so.3)."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    try:
        with open("/proc/self/maps") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    except OSError:
        return "unknown"
    real = sorted({__import__("os").path.basename(__import__("os").path.realpath(lib)) for lib in libs})
    openblas = [lib for lib in real if "openblas" in lib]
    return openblas[0] if openblas else (", ".join(real) + " (reference BLAS: slow)" if real else "none loaded")


def main():
    cases = json.load(sys.stdin)
    threads = cases[0]["threads"] if cases else 1
    torch.set_num_threads(threads)
    blas = loaded_blas()
    print(json.dumps({"torch": torch.__version__ + ", BLAS " + blas, "threads": torch.get_num_threads()}), flush=True)
    describe = "count" if "--count" in sys.argv[1:] else "--describe" in sys.argv[1:]
    for case in cases:
        print(json.dumps(time_case(case, describe)), flush=True)


if __name__ == "__main__":
    main()
