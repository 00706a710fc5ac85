"""Train the PneumoniaMNIST chest X-ray triage CNN and export it to ONNX with its manifest.

Fits on train/, selects the epoch and fits the temperature and operating threshold on val/.
The official test split is held back and is never read here. Deterministic: fixed seeds, one thread.
Usage: /usr/bin/python3 train.py --data DIR --out DIR [--epochs N]
"""
import argparse
import glob
import json
import os
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

SEED = 20240607
LABELS = ["normal", "pneumonia"]
POSITIVE = "pneumonia"
TARGET_SENSITIVITY = 0.95
VERSION = "1.0.0"


def load_split(data_dir, split):
    """ImageFolder layout: DIR/<split>/<label>/*.png, 28x28 8-bit grayscale."""
    images, targets = [], []
    for index, label in enumerate(LABELS):
        files = sorted(glob.glob(os.path.join(data_dir, split, label, "*.png")))
        if not files:
            raise SystemExit(f"no images in {os.path.join(data_dir, split, label)}")
        for f in files:
            with Image.open(f) as im:
                images.append(np.asarray(im.convert("L"), dtype=np.uint8))
            targets.append(index)
    return np.stack(images), np.asarray(targets, dtype=np.int64)


class TriageCNN(nn.Module):
    """Three conv stages (28 -> 14 -> 7) and global average pooling: 72,146 parameters, well under 1 ms per image."""

    def __init__(self):
        super().__init__()

        def block(cin, cout):
            return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))

        self.features = nn.Sequential(
            block(1, 16), block(16, 16), nn.MaxPool2d(2),
            block(16, 32), block(32, 32), nn.MaxPool2d(2),
            block(32, 64), block(64, 64),
        )
        self.dropout = nn.Dropout(0.2)
        self.head = nn.Linear(64, len(LABELS))

    def forward(self, x):
        x = self.features(x)
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.head(self.dropout(x))


def augment(x, generator):
    """Small random affine (rotation, scale, shift) plus brightness/contrast jitter; no flips (anatomy is lateralised)."""
    n = x.shape[0]
    angle = (torch.rand(n, generator=generator) * 2 - 1) * (10 * np.pi / 180)
    scale = 1 + (torch.rand(n, generator=generator) * 2 - 1) * 0.1
    shift = (torch.rand(n, 2, generator=generator) * 2 - 1) * (2 / 14)  # +-2 px in normalised coordinates
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    contrast = 1 + (torch.rand(n, 1, 1, 1, generator=generator) * 2 - 1) * 0.2
    brightness = (torch.rand(n, 1, 1, 1, generator=generator) * 2 - 1) * 0.1
    mean = x.mean(dim=(2, 3), keepdim=True)
    return ((x - mean) * contrast + mean + brightness).clamp(0, 1)


def auroc(scores, targets):
    """Mann-Whitney AUROC with ties counted as one half."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    pos = targets == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def operating_point(scores, targets, target_sensitivity):
    """The best-specificity threshold whose sensitivity (score >= threshold) reaches the target.

    Placed halfway between the positive score it must include and the next lower score, so rounding and
    float32-vs-float64 differences at inference cannot move any validation image across it.
    """
    pos_scores = np.sort(scores[targets == 1])[::-1]
    needed = int(np.ceil(target_sensitivity * len(pos_scores)))
    critical = float(pos_scores[needed - 1])
    below = scores[scores < critical]
    threshold = round((critical + (float(below.max()) if len(below) else 0.0)) / 2, 6)
    predicted = scores >= threshold
    sensitivity = float(predicted[targets == 1].mean())
    specificity = float((~predicted[targets == 0]).mean())
    return threshold, sensitivity, specificity


def fit_temperature(logits, targets):
    """Temperature scaling: the single T minimising val NLL, found by a fine grid search (deterministic, no optimiser state)."""
    grid = np.exp(np.linspace(np.log(0.25), np.log(8.0), 2001))
    logits_t = torch.from_numpy(logits)
    targets_t = torch.from_numpy(targets)
    nll = [float(F.cross_entropy(logits_t / t, targets_t)) for t in grid]
    best = int(np.argmin(nll))
    return float(grid[best]), nll[best], float(F.cross_entropy(logits_t, targets_t))


def predict_logits(model, x, batch=512):
    model.eval()
    with torch.no_grad():
        return torch.cat([model(x[i:i + batch]) for i in range(0, len(x), batch)]).numpy()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args()

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    train_x, train_y = load_split(args.data, "train")
    val_x, val_y = load_split(args.data, "val")
    mean = round(float(train_x.mean() / 255), 4)
    std = round(float(train_x.std() / 255), 4)
    print(f"train {len(train_x)} ({int(train_y.sum())} pneumonia), val {len(val_x)} ({int(val_y.sum())} pneumonia); mean {mean} std {std}")

    to_unit = lambda a: torch.from_numpy(a).float().div(255).unsqueeze(1)
    normalise = lambda t: (t - mean) / std
    train_t, val_t = to_unit(train_x), normalise(to_unit(val_x))
    train_labels = torch.from_numpy(train_y)
    # Balance the classes in the loss (train is ~3:1 pneumonia:normal).
    counts = np.bincount(train_y, minlength=len(LABELS))
    class_weights = torch.tensor(len(train_y) / (len(LABELS) * counts), dtype=torch.float32)

    model = TriageCNN()
    batch_size = 128
    steps_per_epoch = int(np.ceil(len(train_t) / batch_size))
    optimiser = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, epochs=args.epochs, steps_per_epoch=steps_per_epoch)
    generator = torch.Generator().manual_seed(SEED)

    best = {"auroc": -1.0}
    for epoch in range(1, args.epochs + 1):
        started = time.time()
        model.train()
        permutation = torch.randperm(len(train_t), generator=generator)
        total_loss = 0.0
        for step in range(steps_per_epoch):
            idx = permutation[step * batch_size:(step + 1) * batch_size]
            x = normalise(augment(train_t[idx], generator))
            loss = F.cross_entropy(model(x), train_labels[idx], weight=class_weights)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total_loss += float(loss) * len(idx)
        val_logits = predict_logits(model, val_t)
        val_scores = torch.softmax(torch.from_numpy(val_logits), 1)[:, 1].numpy()
        val_auroc = auroc(val_scores, val_y)
        print(f"epoch {epoch:2d} loss {total_loss / len(train_t):.4f} val AUROC {val_auroc:.4f} ({time.time() - started:.1f} s)", flush=True)
        if val_auroc > best["auroc"]:
            best = {"auroc": val_auroc, "epoch": epoch, "state": {k: v.clone() for k, v in model.state_dict().items()}}

    model.load_state_dict(best["state"])
    model.eval()
    val_logits = predict_logits(model, val_t)
    temperature, nll_after, nll_before = fit_temperature(val_logits, val_y)
    temperature = round(temperature, 4)  # the manifest's value is the one every figure below uses
    calibrated = torch.softmax(torch.from_numpy(val_logits) / temperature, 1)[:, 1].numpy().astype(np.float64)
    val_auroc = auroc(calibrated, val_y)
    threshold, sensitivity, specificity = operating_point(calibrated, val_y, TARGET_SENSITIVITY)
    print(f"selected epoch {best['epoch']}: val AUROC {val_auroc:.4f}; temperature {temperature:.4f} (val NLL {nll_before:.4f} -> {nll_after:.4f})")
    print(f"threshold {threshold:.6f}: val sensitivity {sensitivity:.4f}, specificity {specificity:.4f}")

    os.makedirs(args.out, exist_ok=True)
    onnx_name = "cxr-pneumonia.onnx"
    torch.onnx.export(
        model, torch.zeros(1, 1, 28, 28), os.path.join(args.out, onnx_name),
        input_names=["image"], output_names=["logits"], dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}},
        opset_version=13, do_constant_folding=True,
    )
    manifest = {
        "kind": "image-classifier",
        "id": "cxr-pneumonia",
        "name": "Chest X-ray pneumonia triage (PneumoniaMNIST CNN)",
        "version": VERSION,
        "intendedUse": "Triage aid that orders the reading worklist; not a diagnosis.",
        "modality": {"description": "frontal chest X-ray", "dicomModalities": ["CR", "DX"]},
        "onnx": onnx_name,
        "input": {
            "name": "image", "width": 28, "height": 28, "channels": 1, "layout": "NCHW", "resize": "center-crop",
            "normalisation": {"scale": 1 / 255, "mean": [mean], "std": [std]},
        },
        "output": {"name": "logits", "activation": "softmax"},
        "labels": LABELS,
        "positiveLabels": [POSITIVE],
        "calibration": {"method": "temperature", "temperature": temperature},
        "threshold": threshold,
        "validation": {
            "split": "val", "n": int(len(val_y)), "positives": int(val_y.sum()),
            "auroc": round(val_auroc, 4), "sensitivity": round(sensitivity, 4), "specificity": round(specificity, 4),
            "targetSensitivity": TARGET_SENSITIVITY, "selectedEpoch": best["epoch"],
        },
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
