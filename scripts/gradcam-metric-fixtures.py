"""Writes cam/src/test/resources/fixtures/gradcam-metrics.json: numbers from pytorch-grad-cam's own
metrics (grad-cam 1.5.5, torch 2.7.1) that MetricsAgainstPytorchGradCamTest checks the Java
metrics against. Run once, by hand; the JSON is committed:

    python3.11 -m venv /tmp/gradcam && /tmp/gradcam/bin/pip install torch==2.7.1 torchvision==0.22.1 grad-cam==1.5.5
    /tmp/gradcam/bin/python scripts/gradcam-metric-fixtures.py

The model is flatten -> linear (weights in the JSON, so the test rebuilds it in DJL); the maps are
random, min-max normalised as pytorch-grad-cam's are. ROAD's imputation noise is set to 0 (its
default 0.01 draws from torch's generator, which Java does not share)."""
import json
import pathlib

import numpy as np
import torch
from pytorch_grad_cam.metrics import road
from pytorch_grad_cam.metrics.cam_mult_image import CamMultImageConfidenceChange
from pytorch_grad_cam.utils.model_targets import ClassifierOutputSoftmaxTarget

road.NoisyLinearImputer.__init__.__defaults__ = (0.0, road.neighbors_weights)

torch.manual_seed(13)
rng = np.random.default_rng(13)
B, C, H, W, K = 4, 1, 8, 8, 3
model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(C * H * W, K)).eval()
with torch.no_grad():
    model[1].weight.normal_(0, 0.5)
    model[1].bias.normal_(0, 0.1)
images = torch.tensor(rng.normal(size=(B, C, H, W)), dtype=torch.float32)
cams = rng.random(size=(B, H, W)).astype(np.float32)
cams = np.float32((cams - cams.min(axis=(1, 2), keepdims=True)) / np.ptp(cams, axis=(1, 2), keepdims=True))
classes = [int(c) for c in rng.integers(0, K, size=B)]
targets = [ClassifierOutputSoftmaxTarget(c) for c in classes]

percentiles = [10, 20, 30, 40, 50, 60, 70, 80, 90]
out = {
    "made_with": "scripts/gradcam-metric-fixtures.py, grad-cam 1.5.5, torch " + torch.__version__ + ", numpy " + np.__version__,
    "shape": [B, C, H, W],
    "classes": classes,
    "weight": model[1].weight.detach().numpy().astype(float).ravel().tolist(),
    "bias": model[1].bias.detach().numpy().astype(float).tolist(),
    "images": images.numpy().astype(float).ravel().tolist(),
    "cams": cams.astype(float).ravel().tolist(),
    "percentiles": percentiles,
    "road_combined": road.ROADCombined(percentiles)(images, cams, targets, model).astype(float).ravel().tolist(),
    "road_morf_average": road.ROADMostRelevantFirstAverage(percentiles)(images, cams, targets, model).astype(float).ravel().tolist(),
    "road_lerf_average": road.ROADLeastRelevantFirstAverage(percentiles)(images, cams, targets, model).astype(float).ravel().tolist(),
    "confidence_change": CamMultImageConfidenceChange()(images, cams, targets, model).astype(float).ravel().tolist(),
}
path = pathlib.Path(__file__).resolve().parent.parent / "cam/src/test/resources/fixtures/gradcam-metrics.json"
path.write_text(json.dumps(out, indent=1) + "\n")
print("wrote", path)
