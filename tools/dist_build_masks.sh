#!/usr/bin/env bash
# Build a box cache with several processes through torchrun: each tracks a
# shard of the videos (video i goes to process i mod NPROC), process 0 merges
# the per-video parts atomically into the same cache one process writes.
#   bash tools/dist_build_masks.sh CONFIG NPROC [build_masks.py args...]
# With an mmdet detector on GPUs add --device cuda; each process uses
# cuda:LOCAL_RANK when CUDA_VISIBLE_DEVICES gives one GPU per process.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: bash tools/dist_build_masks.sh CONFIG NPROC [args...]" >&2
    exit 2
fi
CONFIG=$1
NPROC=$2
PORT=${PORT:-29510}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

PYTHONPATH="$ROOT:${PYTHONPATH:-}" \
python -m torch.distributed.run \
    --nnodes=1 \
    --nproc_per_node="$NPROC" \
    --master_addr=127.0.0.1 \
    --master_port="$PORT" \
    "$ROOT/tools/build_masks.py" "$CONFIG" --launcher pytorch "${@:3}"
