#!/usr/bin/env python3
"""PyTorch reference for `donorstream bench training`.

Trains the same networks as donorstream's DJL trainer (vanilla MLP, multimodal Perceiver +
cross-attention), on the same prepared data, with the same batch, optimiser (AdamW, linear
warm-up then cosine decay, element-wise gradient clipping), dropout, unknown-cell-type masking and
input noise, on the same number of threads, and prints its throughput:

    pytorch model=<m> batch=<b> cells_per_s=<x> ms_per_step=<y> threads=<t> torch=<version>

The data folder is written by the Java benchmark (meta.json + little-endian raw arrays):
gene.f32 [n, w] standardised embeddings, text.f32 [types, d] standardised text vectors,
type.i32 [n] cell-type index per cell, donor.i32 [n] donor index per cell.
The first --warmup epochs are not timed; the others are, as in the Java benchmark.

With --inference (for `donorstream bench scoring`): eager inference instead (eval mode,
torch.inference_mode, forward + softmax over every cell in batches of --batch, --epochs passes of
which --warmup are not timed), printed as

    pytorch inference model=<m> batch=<b> cells_per_s=<x> threads=<t> torch=<version>
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Vanilla(nn.Module):
    """[gene ⊕ text] → Linear → ReLU → Dropout → latent → donor head."""

    def __init__(self, m):
        super().__init__()
        self.unknown = nn.Parameter(torch.randn(m["text_dim"]) * 0.05)
        self.hidden = nn.Linear(m["width"] + m["text_dim"], m["hidden"])
        self.dropout = nn.Dropout(m["dropout"])
        self.head = nn.Linear(m["hidden"], m["donors"])

    def forward(self, gene, text):
        return self.head(self.dropout(F.relu(self.hidden(torch.cat([gene, text], 1)))))


class Attention(nn.Module):
    """Multi-head scaled dot-product attention with separate q, k, v, output projections."""

    def __init__(self, d, heads):
        super().__init__()
        self.d, self.heads = d, heads
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))

    def split(self, x):
        b, n, _ = x.shape
        return x.reshape(b, n, self.heads, self.d // self.heads).transpose(1, 2)

    def forward(self, q, kv):
        b, lq, _ = q.shape
        qh, kh, vh = self.split(self.q(q)), self.split(self.k(kv)), self.split(self.v(kv))
        w = torch.softmax(qh @ kh.transpose(2, 3) / math.sqrt(self.d // self.heads), -1)
        return self.o((w @ vh).transpose(1, 2).reshape(b, lq, self.d))


class Resampler(nn.Module):
    """Perceiver resampler: learned latents attend over latents ⊕ tokens, residual + norm, FF."""

    def __init__(self, latents, d, heads):
        super().__init__()
        self.latents = nn.Parameter(torch.randn(latents, d) * 0.5)
        self.attn = Attention(d, heads)
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff1, self.ff2 = nn.Linear(d, 2 * d), nn.Linear(2 * d, d)

    def forward(self, tokens):
        lat = self.latents.unsqueeze(0).expand(tokens.shape[0], -1, -1)
        x = self.norm1(lat + self.attn(lat, torch.cat([lat, tokens], 1)))
        return self.norm2(x + self.ff2(F.relu(self.ff1(x))))


class Multimodal(nn.Module):
    def __init__(self, m):
        super().__init__()
        d = m["attention_dim"]
        self.d, self.gt, self.tt = d, m["gene_tokens"], m["text_tokens"]
        self.unknown = nn.Parameter(torch.randn(m["text_dim"]) * 0.05)
        self.gene_proj = nn.Linear(m["width"], self.gt * d)
        self.text_proj = nn.Linear(m["text_dim"], self.tt * d)
        self.gene_pos = nn.Parameter(torch.randn(self.gt, d) * 0.1)
        self.text_pos = nn.Parameter(torch.randn(self.tt, d) * 0.1)
        self.gene_res = Resampler(m["latents"], d, m["heads"])
        self.text_res = Resampler(m["latents"], d, m["heads"])
        self.g2t, self.t2g = Attention(d, m["heads"]), Attention(d, m["heads"])
        self.gnorm, self.tnorm = nn.LayerNorm(d), nn.LayerNorm(d)
        self.fuse = nn.Linear(2 * d, m["hidden"])
        self.dropout = nn.Dropout(m["dropout"])
        self.head = nn.Linear(m["hidden"], m["donors"])

    def forward(self, gene, text):
        b = gene.shape[0]
        g = self.gene_res(self.gene_proj(gene).reshape(b, self.gt, self.d) + self.gene_pos)
        t = self.text_res(self.text_proj(text).reshape(b, self.tt, self.d) + self.text_pos)
        g2 = self.gnorm(g + self.g2t(g, t))
        t2 = self.tnorm(t + self.t2g(t, g))
        fused = torch.cat([g2.mean(1), t2.mean(1)], 1)
        return self.head(self.dropout(F.relu(self.fuse(fused))))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--model", choices=["vanilla", "multimodal"], required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--inference", action="store_true", help="time eager inference instead of training")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)

    with open(os.path.join(a.data, "meta.json")) as f:
        m = json.load(f)
    n, w, d = m["cells"], m["width"], m["text_dim"]
    raw = lambda name, dt: torch.from_numpy(np.fromfile(os.path.join(a.data, name), dtype=dt))
    gene = raw("gene.f32", "<f4").reshape(n, w)
    text_table = raw("text.f32", "<f4").reshape(-1, d)
    types = raw("type.i32", "<i4").long()
    donors = raw("donor.i32", "<i4").long()
    spec = m[a.model]
    spec.update(width=w, text_dim=d, donors=m["donors"])
    s = spec["settings"]

    net = Vanilla(spec) if a.model == "vanilla" else Multimodal(spec)
    for mod in net.modules():
        if isinstance(mod, nn.Linear):
            nn.init.xavier_uniform_(mod.weight)
            nn.init.zeros_(mod.bias)
    if a.inference:
        return infer(net, gene, text_table[types.clamp(min=0)], a)
    params = list(net.parameters())
    opt = torch.optim.AdamW(params, lr=s["lr"], weight_decay=s["weight_decay"])
    steps_per_epoch = (n + a.batch - 1) // a.batch
    total = a.epochs * steps_per_epoch
    warm = max(1, round(total * s["warmup_fraction"]))
    lo = s["lr"] * 0.01

    def lr_at(step):
        if step < warm:
            return lo + (s["lr"] - lo) * step / warm
        p = min(1.0, (step - warm) / max(1, total - warm))
        return lo + (s["lr"] - lo) * 0.5 * (1 + math.cos(math.pi * p))

    step = 0
    timed_seconds = 0.0
    for epoch in range(a.epochs):
        net.train()
        t0 = time.perf_counter()
        order = torch.randperm(n)
        for i in range(0, n, a.batch):
            idx = order[i:i + a.batch]
            if idx.numel() < 2:
                continue
            g = gene[idx]
            if s["input_noise"] > 0:
                g = g + torch.randn_like(g) * s["input_noise"]
            hide = (torch.rand(idx.numel(), 1) < s["unknown_type_rate"]).float()
            t = text_table[types[idx]] * (1 - hide) + hide * net.unknown
            loss = F.cross_entropy(net(g, t), donors[idx])
            for group in opt.param_groups:
                group["lr"] = lr_at(step)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_value_(params, s["clip_grad"])
            opt.step()
            value = loss.item()
            if not math.isfinite(value):
                raise SystemExit("loss became %s" % value)
            step += 1
        if epoch >= a.warmup:
            timed_seconds += time.perf_counter() - t0
    timed_epochs = a.epochs - a.warmup
    print("pytorch model=%s batch=%d cells_per_s=%.0f ms_per_step=%.3f threads=%d torch=%s" % (
        a.model, a.batch, n * timed_epochs / timed_seconds, 1000 * timed_seconds / (steps_per_epoch * timed_epochs),
        a.threads, torch.__version__))


def infer(net, gene, text, a):
    net.eval()
    n = gene.shape[0]
    timed_seconds = 0.0
    with torch.inference_mode():
        for epoch in range(a.epochs):
            t0 = time.perf_counter()
            for i in range(0, n, a.batch):
                torch.softmax(net(gene[i:i + a.batch], text[i:i + a.batch]), 1)
            if epoch >= a.warmup:
                timed_seconds += time.perf_counter() - t0
    print("pytorch inference model=%s batch=%d cells_per_s=%.0f threads=%d torch=%s" % (
        a.model, a.batch, n * (a.epochs - a.warmup) / timed_seconds, a.threads, torch.__version__))


if __name__ == "__main__":
    main()
