"""Stage two of D2C in plain PyTorch, for `./d2c bench engine` (imported by torch_engine.py).

Mirrors model-lib's lab.d2c.model.stage2 and lab.d2c.model.diffusion op for op where the op is the
model's (the one-hot row selection of VisibleRows, the blends of the fake class and fake discrete
tokens, the diffusion_batch_mul copies of the masked rows, the learned-sigma loss with its variational-bound
term, each distinct diffusion step's time embedding computed once),
and in PyTorch's own idiom where the Java side does bookkeeping in Java (orders, masks, the timestep
sinusoid, the sampler's noise): those are computed with torch ops here, as MAR does.

- HybridModel: MAR's MAE encoder/decoder with the Q-Former fusion (q-former, q-former-decoder) or none,
  the parameters of HybridModel.java in the same shapes (the bench checks the counts agree).
- loss(): HybridModel.loss + DiffusionLoss.loss (learn_sigma: MSE + LearnedVariance.bits).
- TrainStep: loss, backward, global-norm clipping, torch.optim.AdamW (decay on rank >= 2 only, as
  AdamW.DecayRule.matricesOnly), EMA of the trainable parameters (MAR's update_ema), loss.item().
- sample(): HybridSampler.sample + DiffusionLoss.sample (respaced DDPM, LEARNED_RANGE variance,
  classifier-free guidance on the noise with the linear or constant schedule, x0 clip).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

TRAINING_STEPS = 1000
FREQUENCIES = 256
INIT_STD = 0.02


# ---------------------------------------------------------------- schedules (NoiseSchedule, RespacedSchedule)

def alpha_bars(kind, steps=TRAINING_STEPS):
    if kind == "linear":
        scale = 1000.0 / steps
        start, end = scale * 1e-4, scale * 0.02
        betas = [start + (end - start) * t / (steps - 1) for t in range(steps)]
    elif kind == "cosine":
        f = lambda u: math.cos((u + 0.008) / 1.008 * math.pi / 2) ** 2
        betas = [min(1 - f((t + 1.0) / steps) / f(t / steps), 0.999) for t in range(steps)]
    else:
        raise ValueError("unknown noise schedule " + kind)
    bars, product = [], 1.0
    for b in betas:
        product *= 1 - b
        bars.append(product)
    return bars


class Respaced:
    """RespacedSchedule.of: `count` of the T steps, evenly spaced, first and last kept."""

    def __init__(self, bars, count):
        steps = len(bars)
        if count == 1:
            kept = [steps - 1]
        else:
            stride = (steps - 1.0) / (count - 1)
            kept = [int(math.floor(i * stride + 0.5)) for i in range(count)]  # Java's Math.round
        self.timesteps = kept
        self.from_x, self.from_eps, self.m0, self.mt, self.log_beta, posterior = [], [], [], [], [], []
        self.sigma = []
        previous = 1.0
        for t in kept:
            bar = bars[t]
            beta = 1 - bar / previous
            self.from_x.append(math.sqrt(1 / bar))
            self.from_eps.append(-math.sqrt(1 / bar - 1))
            self.m0.append(beta * math.sqrt(previous) / (1 - bar))
            self.mt.append((1 - previous) * math.sqrt(1 - beta) / (1 - bar))
            self.log_beta.append(math.log(beta))
            posterior.append(beta * (1 - previous) / (1 - bar))
            self.sigma.append(0.0 if len(posterior) == 1 else math.sqrt(posterior[-1]))
            previous = bar
        self.log_posterior = [self.log_beta[0] if count == 1 else math.log(posterior[1 if i == 0 else i])
                              for i in range(count)]

    def columns(self):
        """Per-step coefficient tables as float32 tensors (the training schedule's, indexed by t)."""
        f = lambda v: torch.tensor(v, dtype=torch.float32)
        return {k: f(getattr(self, k)) for k in ("from_x", "from_eps", "m0", "mt", "log_beta", "log_posterior")}


def timestep_embedding(t):
    """The sinusoid [len(t), 256] of TimestepEmbedder (MAR's timestep_embedding)."""
    half = FREQUENCIES // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


# ---------------------------------------------------------------- blocks (TransformerBlock, Attention, QFormer)

def layer_norm(width):
    return nn.LayerNorm(width, eps=1e-6)


class Attention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(width, width)
        self.kv = nn.Linear(width, 2 * width)
        self.proj = nn.Linear(width, width)

    def forward(self, h, context):
        b, l, width = h.shape
        m = context.shape[1]
        hd = width // self.heads
        q = self.q(h).view(b, l, self.heads, hd).transpose(1, 2)
        k, v = self.kv(context).chunk(2, dim=-1)
        k = k.reshape(b, m, self.heads, hd).permute(0, 2, 3, 1)
        v = v.reshape(b, m, self.heads, hd).transpose(1, 2)
        weights = (q @ k * (1.0 / math.sqrt(hd))).softmax(-1)
        return self.proj((weights @ v).transpose(1, 2).reshape(b, l, width))


class Block(nn.Module):
    def __init__(self, width, heads, mlp_ratio, cross):
        super().__init__()
        self.norm1 = layer_norm(width)
        self.attn = Attention(width, heads)
        self.norm_cross = layer_norm(width) if cross else None
        self.cross_attn = Attention(width, heads) if cross else None
        self.norm2 = layer_norm(width)
        hidden = int(math.floor(width * mlp_ratio + 0.5))
        self.fc1 = nn.Linear(width, hidden)
        self.fc2 = nn.Linear(hidden, width)

    def forward(self, h, context=None):
        normed = self.norm1(h)
        h = h + self.attn(normed, normed)
        if self.cross_attn is not None:
            h = h + self.cross_attn(self.norm_cross(h), context)
        return h + self.fc2(F.gelu(self.fc1(self.norm2(h))))


class QFormer(nn.Module):
    def __init__(self, queries, width, heads, depth, mlp_ratio, decoder_only):
        super().__init__()
        self.queries = nn.Parameter(torch.randn(queries, width) * INIT_STD)
        self.encoder = nn.ModuleList([] if decoder_only else [Block(width, heads, mlp_ratio, False) for _ in range(depth)])
        self.decoder = nn.ModuleList([Block(width, heads, mlp_ratio, True) for _ in range(depth)])
        self.norm = layer_norm(width)

    def forward(self, features):
        h = features
        for block in self.encoder:
            h = block(h)
        q = self.queries.expand(features.shape[0], -1, -1)
        for block in self.decoder:
            q = block(q, h)
        return self.norm(q)


# ---------------------------------------------------------------- the diffusion head (SimpleMLPAdaLN)

def modulate(x, shift, scale):
    return x * (1 + scale) + shift


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
    def __init__(self, width, out_channels):
        super().__init__()
        # MAR's norm has no gain or bias; DJL's LayerNorm always registers both and, with center and scale off,
        # freezes them at 1 and 0 and still applies them (AdaLnFinalLayer). Mirrored, so the counts agree.
        self.norm_final = nn.LayerNorm(width, eps=1e-6)
        self.norm_final.requires_grad_(False)
        self.linear = nn.Linear(width, out_channels)
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(width, 2 * width))

    def forward(self, x, y):
        shift, scale = self.adaLN_modulation(y).chunk(2, dim=-1)
        return self.linear(modulate(self.norm_final(x), shift, scale))


class DiffusionHead(nn.Module):
    def __init__(self, channels, width, depth, condition, out_channels=None):
        super().__init__()
        self.input_proj = nn.Linear(channels, width)
        self.time_embed = nn.Sequential(nn.Linear(FREQUENCIES, width), nn.SiLU(), nn.Linear(width, width))
        self.cond_embed = nn.Linear(condition, width)
        self.res_blocks = nn.ModuleList([ResBlock(width) for _ in range(depth)])
        self.final_layer = FinalLayer(width, out_channels or channels)

    def forward(self, x, t_freq, c, index=None):
        """t_freq: [N, 256], or [U, 256] of U distinct steps with index [N] the row's step among them."""
        x = self.input_proj(x)
        t = self.time_embed(t_freq)
        if index is not None:
            t = F.embedding(index, t)
        y = t + self.cond_embed(c)
        for block in self.res_blocks:
            x = block(x, y)
        return self.final_layer(x, y)


def init_head(head):
    """MAR's initialize_weights: xavier linears, N(0, 0.02) time MLP, AdaLN-Zero modulations and output."""
    for m in head.modules():
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    for lin in (head.time_embed[0], head.time_embed[2]):
        nn.init.normal_(lin.weight, std=0.02)
    for block in head.res_blocks:
        nn.init.zeros_(block.adaLN_modulation[-1].weight)
        nn.init.zeros_(block.adaLN_modulation[-1].bias)
    for lin in (head.final_layer.adaLN_modulation[-1], head.final_layer.linear):
        nn.init.zeros_(lin.weight)
        nn.init.zeros_(lin.bias)


# ---------------------------------------------------------------- the hybrid model (HybridModel.java)

class HybridModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        e, d, n = c["encoder_width"], c["decoder_width"], c["tokens"]
        every = c["buffer_size"] + n
        p = lambda *shape: nn.Parameter(torch.randn(*shape) * INIT_STD)
        self.fusion = c["fusion"]
        if self.fusion not in ("none", "q-former", "q-former-decoder"):
            raise ValueError("torch_stage2 mirrors fusions none, q-former and q-former-decoder, not " + self.fusion)
        self.class_emb = nn.Embedding(c["num_classes"], e)
        self.fake_latent = p(1, e)
        if self.fusion != "none":
            dw = c["discrete_width"]
            self.discrete_emb = nn.Embedding(c["vocab_size"], dw)
            self.fake_discrete = p(n, dw)
            self.discrete_proj_encoder = nn.Linear(dw, e)
            self.discrete_pos_embed_encoder = p(n, e) if c["discrete_positions"] == "learned" else None
            self.qformer = QFormer(c["queries"], e, c["encoder_heads"], c["qformer_depth"], c["mlp_ratio"],
                                   self.fusion == "q-former-decoder")
        self.z_proj = nn.Linear(c["token_channels"], e)
        self.z_proj_ln = layer_norm(e)
        self.encoder_pos_embed = p(every, e)
        self.encoder = nn.ModuleList([Block(e, c["encoder_heads"], c["mlp_ratio"], False)
                                      for _ in range(c["encoder_depth"])])
        self.encoder_norm = layer_norm(e)
        self.decoder_embed = nn.Linear(e, d)
        self.mask_token = p(1, d)
        self.decoder_pos_embed = p(every, d)
        self.decoder = nn.ModuleList([Block(d, c["decoder_heads"], c["mlp_ratio"], False)
                                      for _ in range(c["decoder_depth"])])
        self.decoder_norm = layer_norm(d)
        self.diffusion_pos_embed = p(n, d)
        channels = c["token_channels"]
        self.head = DiffusionHead(channels, c["head_width"], c["head_depth"], d,
                                  2 * channels if c["learn_sigma"] else channels)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Embedding):
                nn.init.normal_(m.weight, std=INIT_STD)
        init_head(self.head)
        bars = alpha_bars(c["noise_schedule"])
        self.sqrt_bar = torch.tensor([math.sqrt(b) for b in bars], dtype=torch.float32)
        self.sqrt_one_minus_bar = torch.tensor([math.sqrt(1 - b) for b in bars], dtype=torch.float32)
        self.training_schedule = Respaced(bars, len(bars)).columns()
        self.sampling = Respaced(bars, c["sampling_steps"])

    def discrete_context(self, ids, fake_tokens):
        """The Q-Former's query outputs [B, L, e] (DiscreteFeatures.compute + QFormerFusion.context); None for none."""
        if self.fusion == "none":
            return None
        f = fake_tokens.float().view(-1, 1, 1)
        features = self.discrete_emb(ids) * (1 - f) + self.fake_discrete * f
        encoder = self.discrete_proj_encoder(features)
        if self.discrete_pos_embed_encoder is not None:
            encoder = encoder + self.discrete_pos_embed_encoder
        return self.qformer(encoder)

    def condition(self, tokens, labels, fake_class, masked, queries):
        """z [B, N, d] (HybridModel.condition); masked [B, N] bool, the same count per row."""
        c = self.c
        b, n = masked.shape
        buffer, e = c["buffer_size"], c["encoder_width"]
        fc = fake_class.float().view(b, 1)
        class_rows = self.class_emb(torch.where(fake_class, torch.zeros_like(labels), labels)) * (1 - fc) \
            + self.fake_latent * fc
        x = self.z_proj(tokens)
        class_slots = torch.zeros(b, buffer, e) + class_rows.unsqueeze(1)
        buffer_rows = class_slots if queries is None else torch.cat(
            [class_slots[:, :buffer - queries.shape[1]], queries], dim=1)
        sequence = self.z_proj_ln(torch.cat([buffer_rows, x], dim=1) + self.encoder_pos_embed)
        # VisibleRows: a one-hot selection [B, K, buffer + N] of the buffer and the unmasked tokens
        visible = torch.cat([torch.ones(b, buffer, dtype=torch.bool), ~masked], dim=1)
        k = int(visible[0].sum())
        index = visible.nonzero()[:, 1].view(b, k)
        select = torch.zeros(b, k, buffer + n).scatter_(2, index.unsqueeze(-1), 1.0)
        hidden = (~visible).float().unsqueeze(-1)
        h = select @ sequence
        for block in self.encoder:
            h = block(h)
        h = self.encoder_norm(h)
        full = select.transpose(1, 2) @ self.decoder_embed(h) + hidden * self.mask_token + self.decoder_pos_embed
        for block in self.decoder:
            full = block(full)
        full = self.decoder_norm(full)
        return full[:, buffer:] + self.diffusion_pos_embed

    def loss(self, means, stds, ids, labels, masked_count, g):
        """HybridModel.loss: posterior draw, random orders, CFG dropout, z, the tiled diffusion loss."""
        c = self.c
        b, n, channels = means.shape
        tokens = means + stds * torch.randn(means.shape, generator=g)
        orders = torch.rand(b, n, generator=g).argsort(dim=1)
        masked = torch.zeros(b, n, dtype=torch.bool).scatter_(1, orders[:, :masked_count], True)
        u = torch.rand(b, generator=g)
        fake_class, fake_tokens = u < c["class_dropout"], u < c["discrete_dropout"]
        z = self.condition(tokens, labels, fake_class, masked, self.discrete_context(ids, fake_tokens))
        mul = c["diffusion_batch_mul"]
        # HybridModel.loss: the masked rows of the diffusion_batch_mul copies, each with the draws of t and eps
        # it gets among all rows (DiffusionLoss.loss with kept rows)
        rows = masked.reshape(b * n).repeat(mul)
        kept = rows.nonzero().squeeze(1)
        source = kept % (b * n)
        target = tokens.reshape(b * n, channels)[source]
        conditions = z.reshape(b * n, c["decoder_width"])[source]
        self.head_rows = target.shape[0]
        return self.diffusion_loss(target, conditions, kept, mul * b * n, g)

    def diffusion_loss(self, x0, z, kept, drawn_rows, g):
        rows, channels = x0.shape
        t = torch.randint(0, TRAINING_STEPS, (drawn_rows,), generator=g)[kept]
        eps = torch.randn((drawn_rows, channels), generator=g)[kept]
        xt = self.sqrt_bar[t].unsqueeze(1) * x0 + self.sqrt_one_minus_bar[t].unsqueeze(1) * eps
        steps, index = torch.unique(t, return_inverse=True)
        out = self.head(xt, timestep_embedding(steps), z, index)
        if self.c["learn_sigma"]:
            eps_pred, v = out.split(channels, dim=1)
            per_row = (eps - eps_pred).pow(2).mean(1) + self.vb_bits(x0, xt, eps_pred.detach(), v, t)
        else:
            per_row = (eps - out).pow(2).mean(1)
        return per_row.mean()

    def vb_bits(self, x0, xt, eps, v, t):
        """LearnedVariance.bits: KL for t > 0, the discretized decoder NLL at t = 0, in bits per row."""
        s = self.training_schedule
        col = lambda name: s[name][t].unsqueeze(1)
        low, high, c0, ct = col("log_posterior"), col("log_beta"), col("m0"), col("mt")
        model_mean = (xt * col("from_x") + eps * col("from_eps")) * c0 + xt * ct
        true_mean = x0 * c0 + xt * ct
        frac = (v + 1) * 0.5
        model_log_var = frac * high + (1 - frac) * low
        d = true_mean - model_mean
        kl = 0.5 * (-1.0 + model_log_var - low + torch.exp(low - model_log_var) + d * d * torch.exp(-model_log_var))
        kl = kl.mean(1) / math.log(2.0)
        nll = -discretized_log_likelihood(x0, model_mean, 0.5 * model_log_var).mean(1) / math.log(2.0)
        return torch.where(t == 0, nll, kl)


def approx_cdf(x):
    return 0.5 * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3))))


def discretized_log_likelihood(x, means, log_scales):
    centered = x - means
    inv = torch.exp(-log_scales)
    cdf_plus = approx_cdf(inv * (centered + 1.0 / 255))
    cdf_min = approx_cdf(inv * (centered - 1.0 / 255))
    log_cdf_plus = cdf_plus.clamp(min=1e-12).log()
    log_one_minus_cdf_min = (1.0 - cdf_min).clamp(min=1e-12).log()
    log_delta = (cdf_plus - cdf_min).clamp(min=1e-12).log()
    return torch.where(x < -0.999, log_cdf_plus, torch.where(x > 0.999, log_one_minus_cdf_min, log_delta))


# ---------------------------------------------------------------- one training step (TrainingLoop.trainStep)

class TrainStep:
    """Batch, loss, backward, clip, AdamW, EMA, as TrainingLoop.trainStep; the discrete embedding frozen."""

    def __init__(self, c, seed=0):
        torch.manual_seed(seed)
        self.c = c
        self.model = HybridModel(c)
        if c["freeze_discrete_embedding"] and self.model.fusion != "none":
            self.model.discrete_emb.weight.requires_grad_(False)
        self.trainable = [p for p in self.model.parameters() if p.requires_grad]
        decay = [p for p in self.trainable if p.dim() >= 2]
        plain = [p for p in self.trainable if p.dim() < 2]
        self.optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": c["weight_decay"]},
                                            {"params": plain, "weight_decay": 0.0}],
                                           lr=c["lr"], betas=(c["beta1"], c["beta2"]), eps=c["eps"])
        self.ema = [p.detach().clone() for p in self.trainable] if c["ema_decay"] > 0 else None
        g = torch.Generator().manual_seed(1)
        items, n, channels = 2 * max(2 * c["batch"], 64), c["tokens"], c["token_channels"]
        self.means = torch.randn(items, n, channels, generator=g)
        self.stds = torch.randn(items, n, channels, generator=g).mul(0.5).exp()
        self.ids = torch.randint(0, c["vocab_size"], (items, n), generator=g)
        self.labels = torch.randint(0, c["num_classes"], (items,), generator=g)
        self.generator = torch.Generator().manual_seed(2)
        self.masked_counts = []  # what each call masked, in call order
        self.head_rows = []  # rows of the head per call, in call order
        self.model.train()

    def __call__(self, step):
        c = self.c
        index = torch.randint(0, self.labels.shape[0], (c["batch"],), generator=self.generator)
        counts = c["masked_counts"]
        masked = counts[step % len(counts)]
        self.masked_counts.append(masked)
        loss = self.model.loss(self.means[index], self.stds[index], self.ids[index], self.labels[index], masked,
                               self.generator)
        self.head_rows.append(self.model.head_rows)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        value = loss.item()
        if c["clip_norm"] > 0:
            torch.nn.utils.clip_grad_norm_(self.trainable, c["clip_norm"])
        self.optimizer.step()
        if self.ema is not None:
            with torch.no_grad():
                rate = c["ema_decay"]
                for shadow, p in zip(self.ema, self.trainable):
                    shadow.mul_(rate).add_(p, alpha=1 - rate)
        return value


# ---------------------------------------------------------------- sampling (HybridSampler, DiffusionLoss.sample)

def masked_after(length, steps):
    """MaskSchedule.maskedAfter."""
    left, masked = [], length
    for s in range(steps):
        if s == steps - 1:
            left.append(0)
            break
        nxt = int(math.floor(length * math.cos(math.pi / 2 * (s + 1) / steps)))
        nxt = max(1, min(masked - 1, nxt))
        left.append(nxt)
        masked = nxt
    return left


class Sampler:
    """One batch of stage-two tokens from the preset's sampling settings; records the rows it ran."""

    def __init__(self, c, seed=0):
        torch.manual_seed(seed)
        self.c = c
        self.model = HybridModel(c)
        self.model.eval()
        g = torch.Generator().manual_seed(1)
        self.labels = torch.arange(c["images"]) % c["num_classes"]
        self.ids = torch.randint(0, c["vocab_size"], (c["images"], c["tokens"]), generator=g)
        self.head_rows = []  # rows of the head per AR step (both guidance halves)

    @torch.no_grad()
    def __call__(self, seed):
        c, model = self.c, self.model
        g = torch.Generator().manual_seed(seed)
        b, n, channels = c["images"], c["tokens"], c["token_channels"]
        w = c["guidance_scale"]
        guided = w != 1.0
        copies = 2 if guided else 1
        orders = torch.stack([torch.randperm(n, generator=g) for _ in range(b)])
        labels = self.labels.repeat(copies)
        fake = torch.arange(copies * b) >= b
        queries = model.discrete_context(self.ids.repeat(copies, 1), fake)
        tokens = torch.zeros(b, n, channels)
        masked = n
        self.head_rows = []
        for nxt in masked_after(n, c["ar_steps"]):
            mask = torch.zeros(b, n, dtype=torch.bool).scatter_(1, orders[:, :masked], True).repeat(copies, 1)
            z = model.condition(tokens.repeat(copies, 1, 1), labels, fake, mask, queries)
            positions = orders[:, nxt:masked].sort(dim=1).values  # [B, per], position order
            rows = (torch.arange(copies * b).view(copies, b, 1) * n + positions).reshape(-1)
            selected = z.reshape(-1, c["decoder_width"])[rows]
            scale = w if c["guidance_schedule"] == "constant" else 1 + (w - 1) * (n - nxt) / n
            if guided and scale == 1.0:
                selected = selected[:b * positions.shape[1]]
            self.head_rows.append(selected.shape[0])
            drawn = self.diffuse(selected, scale, g)
            tokens[torch.arange(b).unsqueeze(1), positions] = drawn.view(b, -1, channels)
            masked = nxt
        return tokens

    def diffuse(self, z, scale, g):
        """DiffusionLoss.sample: the respaced reverse process with guidance and the learned variance."""
        c, head, s = self.c, self.model.head, self.model.sampling
        guided = scale != 1.0
        rows = z.shape[0] // 2 if guided else z.shape[0]
        channels = c["token_channels"]
        x = torch.randn(rows, channels, generator=g)
        temperature, clip = c["temperature"], c["x0_clip"]
        for i in reversed(range(len(s.timesteps))):
            t_freq = timestep_embedding(torch.tensor([s.timesteps[i]]))
            out = head(torch.cat([x, x]) if guided else x, t_freq, z)
            variance = None
            if c["learn_sigma"]:
                out, variance = out.split(channels, dim=1)
                variance = variance[:rows] if guided else variance
            if guided:
                cond, uncond = out[:rows], out[rows:]
                out = uncond + (cond - uncond) * scale
            x0 = x * s.from_x[i] + out * s.from_eps[i]
            if clip > 0:
                x0 = x0.clamp(-clip, clip)
            nxt = x0 * s.m0[i] + x * s.mt[i]
            if i > 0 and variance is None:
                nxt = nxt + torch.randn(rows, channels, generator=g) * (temperature * s.sigma[i])
            elif i > 0:
                frac = (variance + 1) * 0.5
                log_var = frac * s.log_beta[i] + (1 - frac) * s.log_posterior[i]
                nxt = nxt + torch.exp(0.5 * log_var) * torch.randn(rows, channels, generator=g) * temperature
            x = nxt
        return x
