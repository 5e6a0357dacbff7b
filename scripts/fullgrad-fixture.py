"""Writes cam/src/test/resources/fixtures/fullgrad.json: pytorch-grad-cam's FullGrad maps
(grad-cam 1.5.5, torch 2.7.1) that FullGradAgainstPytorchGradCamTest checks the Java FullGrad
against. Run once, by hand; the JSON is committed:

    python3.11 -m venv /tmp/gradcam && /tmp/gradcam/bin/pip install torch==2.7.1 torchvision==0.22.1 grad-cam==1.5.5
    /tmp/gradcam/bin/python scripts/fullgrad-fixture.py

The model has every kind of layer FullGrad reads: conv (bias) -> BatchNorm (non-trivial running
statistics, so its effective bias differs from its beta) -> ReLU -> max-pool -> conv (bias) -> ReLU
-> flatten -> linear. Its parameters go into the JSON, so the test rebuilds it in DJL."""
import json
import pathlib

import numpy as np
import torch
from pytorch_grad_cam import FullGrad
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

torch.manual_seed(13)
rng = np.random.default_rng(13)
B, C, H, W, K = 3, 1, 8, 8, 3
model = torch.nn.Sequential(
    torch.nn.Conv2d(C, 3, 3, padding=1), torch.nn.BatchNorm2d(3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Conv2d(3, 2, 3, padding=1), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(2 * 4 * 4, K))
with torch.no_grad():
    for m in model:
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
            m.weight.normal_(0, 0.5)
            m.bias.normal_(0, 0.3)
    bn = model[1]
    bn.weight.uniform_(0.5, 1.5)
    bn.bias.normal_(0, 0.3)
    bn.running_mean.normal_(0, 0.3)
    bn.running_var.uniform_(0.5, 2)
model.eval()
images = torch.tensor(rng.normal(size=(B, C, H, W)), dtype=torch.float32)
classes = [int(c) for c in rng.integers(0, K, size=B)]
maps = FullGrad(model, [])(input_tensor=images, targets=[ClassifierOutputTarget(c) for c in classes])


def flat(t):
    return t.detach().numpy().astype(float).ravel().tolist()


out = {
    "made_with": "scripts/fullgrad-fixture.py, grad-cam 1.5.5, torch " + torch.__version__ + ", numpy " + np.__version__,
    "shape": [B, C, H, W],
    "classes": classes,
    "conv1_weight": flat(model[0].weight), "conv1_bias": flat(model[0].bias),
    "bn_weight": flat(bn.weight), "bn_bias": flat(bn.bias), "bn_running_mean": flat(bn.running_mean),
    "bn_running_var": flat(bn.running_var), "bn_eps": bn.eps,
    "conv2_weight": flat(model[4].weight), "conv2_bias": flat(model[4].bias),
    "linear_weight": flat(model[7].weight), "linear_bias": flat(model[7].bias),
    "images": flat(images),
    "fullgrad": np.asarray(maps, dtype=float).ravel().tolist(),
}
path = pathlib.Path(__file__).resolve().parent.parent / "cam/src/test/resources/fixtures/fullgrad.json"
path.write_text(json.dumps(out, indent=1) + "\n")
print("wrote", path)
