"""PyTorch eager twin of `./spotlight bench` (started by `./spotlight bench --vs-pytorch`).

The same networks (the small CNN; ResNet-18 as DJL's ResNetV1 builds it), shapes, Adam and
guided step as the Java benchmark, written the way a PyTorch user would write them:
torch.autograd.grad (create_graph=True where the variant is exact), the same outside_share
penalty (or, for the counterfactual variant, a second forward of the swapped batch and the KL),
one backward. Amortisation as in Spotlight: guide every k-th step with the penalty
times k, optionally on the first S samples of the batch.

Protocol: one JSON case per line on stdin; for each, one line `RESULT {json}` on stdout with the
median milliseconds of the baseline and the guided step (baseline and guided steps alternating,
in rounds of k steps, each round's mean step, medians of forward+loss, backward and optimizer
summed, as the Java side times them).
"""
import argparse
import json
import sys
import time
import warnings

# the venv holds torch alone; torch warns once that NumPy, which nothing here uses, is missing
warnings.filterwarnings("ignore", message="Failed to initialize NumPy")
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class SmallCnn(nn.Module):
    """conv3x3(16) -> ReLU -> maxpool -> conv3x3(32) -> ReLU -> maxpool; per head flatten -> 64 -> ReLU -> 10."""

    def __init__(self, heads):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.heads = nn.ModuleList(
            nn.Sequential(nn.Flatten(), nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 10)) for _ in range(heads))

    def forward(self, x):
        a1 = self.conv1(x)  # trunk/0: the first convolution's output
        t = F.max_pool2d(F.relu(self.conv2(F.max_pool2d(F.relu(a1), 2))), 2)  # the trunk output
        views = [t.view_as(t) for _ in self.heads]  # each head reads its own view, as in Spotlight
        return a1, views, [h(v) for h, v in zip(self.heads, views)]


class Unit(nn.Module):
    """DJL ResNetV1's residual unit: conv3x3 -> BN -> ReLU -> conv3x3 -> BN, plus the shortcut, ReLU."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.b2(self.c2(F.relu(self.b1(self.c1(x)))))
        return F.relu(y + (x if self.short is None else self.short(x)))


class ResNet18(nn.Module):
    """ResNet-18 for 64x64 inputs: conv7x7/2 -> BN -> ReLU -> maxpool3/2, four stages of two units, pooled features."""

    def __init__(self, heads):
        super().__init__()
        self.stem = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn = nn.BatchNorm2d(64)
        units, cin = [], 64
        for i, cout in enumerate([64, 128, 256, 512]):
            for j in range(2):
                units.append(Unit(cin, cout, 2 if (j == 0 and i > 0) else 1))
                cin = cout
        self.units = nn.Sequential(*units)
        self.heads = nn.ModuleList(nn.Linear(512, 10) for _ in range(heads))

    def forward(self, x):
        a1 = self.stem(x)
        feats = self.units(F.max_pool2d(F.relu(self.bn(a1)), 3, 2, 1))  # the last residual unit ("features")
        views = [feats.view_as(feats) for _ in self.heads]
        return a1, views, [h(v.mean((2, 3))) for h, v in zip(self.heads, views)]


def forbidden_at(forbidden, size, dilation):
    """Spotlight's RegionMasks.fit: a cell is forbidden if any pixel of the grown region is (one max-pool)."""
    f = forbidden.shape[-1] // size
    return F.max_pool2d(forbidden, f + 2 * dilation, f, dilation)[:, 0]


def counterfactual(x, forbidden):
    """Spotlight's CounterfactualConsistency: each sample's forbidden region from the next sample."""
    return x * (1 - forbidden) + torch.roll(x, -1, 0) * forbidden


def kl(z, z_cf):
    lp, lq = F.log_softmax(z, 1), F.log_softmax(z_cf, 1)
    return (lp.exp() * (lp - lq)).sum(1).mean()


def outside_share(cam, forbidden):
    m = F.relu(cam)
    return ((m * forbidden).sum((1, 2)) / (m.sum((1, 2)) + 1e-12)).mean()


class Case:
    def __init__(self, spec):
        self.spec = spec
        torch.manual_seed(1)
        heads = spec["heads"]
        resnet = spec["model"] == "resnet18"
        self.model = ResNet18(heads) if resnet else SmallCnn(heads)
        self.model.train()
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        b = 32 if resnet else 64
        shape = (b, 3, 64, 64) if resnet else (b, 1, 28, 28)
        self.x = torch.rand(shape)
        self.ys = [torch.randint(0, 10, (b,)) for _ in range(heads)]
        forbidden = torch.zeros(b, 1, shape[2], shape[3])
        forbidden[:, :, 0:4, 0:4] = 1  # the 4x4 corner, as in the Java bench
        self.forbidden = forbidden
        self.exact = spec["mode"] == "exact"
        self.at_conv1 = spec["layer_kind"] == "conv1"
        self.counterfactual = spec.get("penalty") == "counterfactual"
        # the twin swaps the same corner in every sample, so the pair swap is the own one here
        self.augment = spec.get("penalty") in ("counterfactual_augment", "counterfactual_augment_pair")
        # the mix: consistency on the first `pairs` (annotated) samples, the others replaced
        self.mix = spec.get("penalty") == "counterfactual_mix"
        self.pairs = spec.get("pairs", 8)
        self.every = spec["every"]
        self.sub = spec["sub_batch"]
        self.step_count = 0
        self.fits = {}

    def fitted(self, forbidden, size):
        """The masks fitted to a map of `size`. Spotlight fits a batch's masks where it assembles the batch
        (GuidedLoss.prepare, on the trainer's loader thread), so its bench makes them before its step's timer
        starts; here the batch never changes, so they are made once, on the first step (a warm-up step)."""
        key = (size, forbidden.shape[0])
        if key not in self.fits:
            self.fits[key] = forbidden_at(forbidden, size, 1)
        return self.fits[key]

    def step(self, guided):
        """One step; guided steps follow the every-k schedule. Returns [forward+loss, backward, optimizer] ms."""
        t0 = time.perf_counter()
        scheduled = guided and self.step_count % self.every == 0
        # counterfactual augmentation: the annotated (here: all) samples become their counterfactuals
        x_in = counterfactual(self.x, self.forbidden) if scheduled and self.augment else self.x
        if scheduled and self.mix:
            x_cf = counterfactual(self.x, self.forbidden)
            x_in = torch.cat([self.x[:self.pairs], x_cf[self.pairs:]])
        a1, views, logits = self.model(x_in)
        loss = sum(F.cross_entropy(z, y) for z, y in zip(logits, self.ys))
        if scheduled and self.augment:
            # plus the annotated samples' mean cross-entropy: with every sample annotated, the same again
            loss = loss + self.every * sum(F.cross_entropy(z, y) for z, y in zip(logits, self.ys))
        elif scheduled and self.mix:
            # the pairs' counterfactuals forwarded on their own; their KL summed over the annotated (all) samples
            _, _, logits_cf = self.model(x_cf[:self.pairs])
            share = self.pairs / self.x.shape[0]
            loss = loss + self.every * share * sum(kl(z[:self.pairs], z_cf) for z, z_cf in zip(logits, logits_cf))
        elif scheduled:
            x, ys, forbidden = self.x, self.ys, self.forbidden
            if 0 < self.sub < x.shape[0]:
                x, ys, forbidden = x[:self.sub], [y[:self.sub] for y in ys], forbidden[:self.sub]
                a1, views, logits = self.model(x)
            penalty = 0
            if self.counterfactual:
                # one forward of the swapped batch serves every head; KL through both forwards
                _, _, logits_cf = self.model(counterfactual(x, forbidden))
                penalty = sum(kl(z, z_cf) for z, z_cf in zip(logits, logits_cf))
            for h, (z, y) in enumerate(zip(logits, ys) if not self.counterfactual else []):
                score = F.log_softmax(z, 1).gather(1, y[:, None]).sum()
                a = a1 if self.at_conv1 else views[h]
                g, = torch.autograd.grad(score, a, create_graph=self.exact, retain_graph=True)
                cam = (g * a).sum(1)  # HiResCAM: element-wise gradient x activation
                penalty = penalty + outside_share(cam, self.fitted(forbidden, cam.shape[-1]))
            loss = loss + self.every * penalty
        if guided:
            self.step_count += 1
        loss.item()  # synchronise, as the Java side reads the loss
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        self.opt.step()
        self.opt.zero_grad(set_to_none=False)
        t3 = time.perf_counter()
        return [(t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3]

    def measure(self, warmup, steps):
        k = self.every
        rounds, warm = max(1, -(-steps // k)), -(-warmup // k)
        base, guide = [], []
        for i in range(warm + rounds):
            b, g = [0.0] * 3, [0.0] * 3
            for _ in range(k):
                b = [s + t / k for s, t in zip(b, self.step(False))]
                g = [s + t / k for s, t in zip(g, self.step(True))]
            if i >= warm:
                base.append(b)
                guide.append(g)
        return median_total(base), median_total(guide)


def median_total(rows):
    total = 0.0
    for part in range(3):
        v = sorted(r[part] for r in rows)
        total += v[len(v) // 2]
    return total


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, required=True)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    print("READY torch " + torch.__version__ + " threads " + str(torch.get_num_threads()), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        spec = json.loads(line)
        base, guided = Case(spec).measure(spec["warmup"], spec["steps"])
        print("RESULT " + json.dumps({"baseline_ms": base, "guided_ms": guided}), flush=True)


if __name__ == "__main__":
    main()
