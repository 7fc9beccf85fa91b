# Writes tiny_inception.pt, a stand-in with the FID Inception's interface (float32 [B, 3, 299, 299]
# in; (pool features [B, 12], logits [B, 4]) out), and tiny_inception_expected.json, its outputs
# for the pattern image that TorchScriptInceptionTest builds, after the same preprocessing
# (grey -> RGB, bilinear resize to 299 with align_corners=False, [-1, 1] -> [0, 255]).
# Regenerate with Debian's python3-torch: /usr/bin/python3 make_inception_fixture.py
import json
import torch
import torch.nn.functional as F


class TinyInception(torch.nn.Module):
    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(0)
        self.proj = torch.nn.Parameter(torch.randn(12, 4, generator=g))

    def forward(self, x):
        pooled = F.adaptive_avg_pool2d(x, (2, 2)).flatten(1)  # [B, 12]
        features = torch.tanh(pooled / 255.0 * 3.0 - 1.5) + pooled / 1000.0
        return features, features @ self.proj


def pattern(size):
    y = torch.arange(size).view(size, 1).float()
    x = torch.arange(size).view(1, size).float()
    return (((x * 3 + y * 5) % 17) / 8.0 - 1.0).view(1, 1, size, size)


module = torch.jit.script(TinyInception())
module.save("tiny_inception.pt")
img = pattern(32).repeat(1, 3, 1, 1)
img = F.interpolate(img, size=(299, 299), mode="bilinear", align_corners=False)
features, logits = module((img + 1.0) * 127.5)
json.dump({"features": features[0].tolist(), "logits": logits[0].tolist()},
          open("tiny_inception_expected.json", "w"), indent=1)
