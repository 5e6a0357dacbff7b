#!/usr/bin/env bash
# Installs a pinned MLflow tracking server into a private virtual environment,
# .venv/mlflow at the repository root, and prints the path of its `mlflow` executable.
#
# Idempotent and non-interactive (CI calls it on a clean checkout): when the venv
# already holds the pinned version it only prints the path.
#
# Why mlflow 2.22.5 (the last 2.x release) and not 2.17.2, the release of the Java client the
# trainer uses (org.mlflow:mlflow-client 2.17.2):
#  - the REST API the client speaks (api/2.0/mlflow: runs/create, runs/log-batch, runs/update,
#    runs/log-inputs, ...) and the artifact proxy (api/2.0/mlflow-artifacts) are the same in the
#    whole 2.x line, and the tests exercise every call against this server;
#  - 2.17.2's web UI has its image-grid charts switched off (a feature flag fixed to false in its
#    bundle; checked in the bundle and on a screenshot), so images logged in the step-indexed
#    layout (images/<key>+step+<n>+timestamp+<ms>+<id>.png) showed only as loose artifacts;
#    2.22.5 shows them with a step slider on the run page and in the experiment's chart view;
#  - it installs from wheels on CPython 3.11.
# scripts/mlflow-constraints.txt pins every transitive dependency to the tested set, so a later
# release of SQLAlchemy, numpy, pyarrow, Flask, ... cannot break a clean install (SQLAlchemy 2.1
# already does: mlflow 2.x imports a pool class that 2.1 removed).
set -euo pipefail

MLFLOW_VERSION="2.22.5"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv/mlflow"
MLFLOW="$VENV/bin/mlflow"
CONSTRAINTS="$ROOT/scripts/mlflow-constraints.txt"
PYTHON="${PYTHON:-python3}"

log() { echo "install-mlflow: $*" >&2; }

STAMP="$VENV/.spotlight-install-stamp"

installed_version() {
  "$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("mlflow"))' 2>/dev/null || true
}

# What a finished install was made from: a change of the pin or of the constraints reinstalls.
wanted_stamp() {
  echo "mlflow==$MLFLOW_VERSION"
  if [[ -f "$CONSTRAINTS" ]]; then sha256sum "$CONSTRAINTS" | cut -d' ' -f1; fi
}

if [[ -x "$MLFLOW" && "$(installed_version)" == "$MLFLOW_VERSION" && -f "$STAMP" \
      && "$(cat "$STAMP")" == "$(wanted_stamp)" ]]; then
  echo "$MLFLOW"
  exit 0
fi

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  log "'$PYTHON' was not found. Install Python 3 with its venv module, e.g. on Debian/Ubuntu:"
  log "    sudo apt-get update && sudo apt-get install -y python3 python3-venv"
  log "or point PYTHON at an interpreter: PYTHON=/path/to/python3 $0"
  exit 1
fi
if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  log "'$PYTHON' has no working venv/ensurepip module. On Debian/Ubuntu install it with:"
  log "    sudo apt-get update && sudo apt-get install -y python3-venv"
  exit 1
fi

log "creating $VENV with $("$PYTHON" --version 2>&1)"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
pip_args=(install --quiet --progress-bar off "mlflow==$MLFLOW_VERSION")
if [[ -f "$CONSTRAINTS" ]]; then
  pip_args+=(--constraint "$CONSTRAINTS")
fi
log "pip ${pip_args[*]} (a few minutes on a fresh machine)"
if ! "$VENV/bin/python" -m pip "${pip_args[@]}" >&2; then
  log "pip install failed; removing the half-made $VENV so the next run starts clean"
  rm -rf "$VENV"
  exit 1
fi

if [[ "$(installed_version)" != "$MLFLOW_VERSION" ]]; then
  log "expected mlflow $MLFLOW_VERSION in $VENV but found '$(installed_version)'"
  exit 1
fi
# The server must import its whole stack (a too-new SQLAlchemy once broke this).
if ! "$VENV/bin/python" -c 'import mlflow.server, mlflow.store.tracking.sqlalchemy_store' >&2; then
  log "mlflow $MLFLOW_VERSION installed but its server does not import; see the error above"
  exit 1
fi
wanted_stamp > "$STAMP"
echo "$MLFLOW"
