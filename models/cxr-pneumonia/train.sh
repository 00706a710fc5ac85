#!/usr/bin/env bash
# Rebuilds cxr-pneumonia.onnx and manifest.json from the shared PneumoniaMNIST train/val splits.
# Deterministic (fixed seeds, one thread); a few minutes on one CPU core. Needs Debian's python3-torch and python3-onnx.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data="${CLINOTE_SHARED_DATA:-$here/../../../shared/data}/imaging/pneumoniamnist"
mkdir -p "$here/work"
OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 /usr/bin/python3 "$here/train.py" --data "$data" --out "$here" "$@" | tee "$here/work/train.log"
