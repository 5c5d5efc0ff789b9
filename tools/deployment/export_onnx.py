"""Export a trained model as ONNX: the streaming encoder and decoder graphs
and the whole-window graph, checked against torch.

Example:
    python tools/deployment/export_onnx.py configs/ddl/c3dsu_custom.py \
        work_dirs/c3dsu_custom/epoch_8.pth work_dirs/c3dsu_custom/onnx
    # then score with ONNX Runtime:
    python tools/infer_video.py CONFIG CKPT clip.avi --backend onnxruntime \
        --onnx-dir work_dirs/c3dsu_custom/onnx
"""
import argparse
import sys

from mmddl.utils.tool_args import (add_cfg_options_arg,
                                   add_trust_checkpoint_arg)


def parse_args():
    parser = argparse.ArgumentParser(
        description='Export an mmddl model to ONNX (opset 17+, dynamic '
        'batch) and check the graphs against torch')
    parser.add_argument('config', help='the training config')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('out_dir', help='folder for the .onnx files')
    parser.add_argument('--opset', type=int, default=17,
                        help='ONNX opset (default: %(default)s)')
    parser.add_argument(
        '--tolerance', type=float, default=1e-4,
        help='largest |onnx - torch| accepted, relative to the output '
        'scale (default: %(default)s)')
    add_trust_checkpoint_arg(parser)
    add_cfg_options_arg(parser)
    return parser.parse_args()


def main():
    args = parse_args()
    from mmddl.apis import init_model
    from mmddl.deploy import export_onnx
    from mmddl.utils import trust_checkpoints
    if args.trust_checkpoint:
        trust_checkpoints()
    model = init_model(args.config, args.checkpoint, 'cpu', args.cfg_options)
    paths, diffs = export_onnx(model, args.out_dir, opset=args.opset)
    for name, path in paths.items():
        print(f'{name:>8}: {path}')
    print('largest |onnx - torch| on random input (outputs in [0, 1] '
          'scale):')
    for name, diff in diffs.items():
        print(f'{name:>8}: {diff:.3g}')
    worst = max(diffs.values())
    if worst > args.tolerance:
        print(f'error: the export differs from torch by {worst:.3g} '
              f'(> --tolerance {args.tolerance})', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
