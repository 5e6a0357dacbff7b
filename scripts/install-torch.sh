#!/usr/bin/env bash
# Installs PyPI's torch==2.7.1 (the libtorch DJL 0.35.1's pytorch-jni is built against) into a private
# virtual environment and prints the venv's path. Used by
#  - the GPU build (./spotlight sees an NVIDIA GPU: DJL is pointed at this libtorch, still offline), and
#  - ./spotlight bench --vs-pytorch (the PyTorch eager twin of the benchmark).
# The venv lives in SPOTLIGHT_TORCH_VENV, default .venv/torch at the repository root. PyPI's
# linux x86_64 wheel is the CUDA 12.8 build: with its nvidia-* dependencies about 3.5 GB on disk;
# it also runs on the CPU. Idempotent: a finished install is stamped and only printed again; a
# failed one is removed so no later run trusts a half-made venv.
set -euo pipefail

TORCH_VERSION="2.7.1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SPOTLIGHT_TORCH_VENV:-$ROOT/.venv/torch}"
STAMP="$VENV/.spotlight-install-stamp"
PYTHON="${PYTHON:-python3}"
log() { echo "install-torch: $*" >&2; }

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "torch==$TORCH_VERSION" ]]; then
  echo "$VENV"; exit 0
fi
if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  log "'$PYTHON' with its venv module is needed: sudo apt-get install -y python3 python3-venv"
  exit 1
fi
mkdir -p "$(dirname "$VENV")"
# One installer at a time (several worktrees or processes may ask at once).
exec 9>"$VENV.lock"
flock 9
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "torch==$TORCH_VERSION" ]]; then echo "$VENV"; exit 0; fi
log "creating $VENV (torch==$TORCH_VERSION, several GB; minutes on a fresh machine)"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
if ! "$VENV/bin/python" -m pip install --quiet --progress-bar off "torch==$TORCH_VERSION" >&2 \
   || ! "$VENV/bin/python" -c 'import torch; assert torch.__version__.startswith("'"$TORCH_VERSION"'")' >&2; then
  log "pip install torch==$TORCH_VERSION failed; removing the half-made $VENV"
  rm -rf "$VENV"; exit 1
fi
echo "torch==$TORCH_VERSION" > "$STAMP"
echo "$VENV"
