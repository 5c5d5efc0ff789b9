#!/usr/bin/env bash
# Install everything mmddl needs into the current Python environment.
# Idempotent: when tools/misc/check_env.py finds nothing missing it returns at
# once. Order matters (docs/install.md, "Manual install"):
#   1. torch 2.13.0 unless a torch is already installed (a CUDA build is kept);
#   2. mmcv 2.1.0 built WITH its ops against that torch; its setup.py needs
#      pkg_resources, hence setuptools<70 in a separate pip call (asking for
#      torch and setuptools<70 in one call cannot resolve), restored after;
#   3. mmengine, mmdet and the runtime/test requirements;
#   4. mmddl itself, editable.
set -euo pipefail
PYTHON=${PYTHON:-python}
cd "$(dirname "$0")/../.."
PIP="$PYTHON -m pip install --disable-pip-version-check"

if $PYTHON tools/misc/check_env.py --quiet; then
    $PYTHON tools/misc/check_env.py
    exit 0
fi
$PYTHON tools/misc/check_env.py || true

if ! $PYTHON -c "import torch" 2>/dev/null; then
    echo "mmddl install: torch==2.13.0"
    $PIP torch==2.13.0
fi

if ! $PYTHON -c "import mmcv, glob, os; \
        assert mmcv.__version__.startswith('2.1.'); \
        assert glob.glob(os.path.join(os.path.dirname(mmcv.__file__), '_ext*.so'))" \
        2>/dev/null; then
    echo "mmddl install: mmcv 2.1.0 with ops (first build 7-16 min, then pip's wheel cache)"
    $PIP "setuptools<70" wheel ninja
    MMCV_WITH_OPS=1 MAX_JOBS=${MAX_JOBS:-$(nproc)} $PIP --no-build-isolation mmcv==2.1.0
    $PIP "setuptools>=77.0.3"
fi

echo "mmddl install: OpenMMLab, runtime, test and deploy (ONNX, OpenVINO) requirements"
# openvino.txt is optional for users (docs/deploy.md); installed here so
# that `make test` tests the OpenVINO backend too (59 MB wheel, ~7 s)
$PIP -r requirements/mminstall.txt -r requirements/runtime.txt -r requirements/tests.txt \
    -r requirements/deploy.txt -r requirements/openvino.txt
echo "mmddl install: mmddl (editable)"
$PIP --no-deps --no-build-isolation -e .
$PYTHON tools/misc/check_env.py
