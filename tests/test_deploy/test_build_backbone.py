"""build_backbone: one name -> one runtime, and clear errors; the shared
deploy.json reader refuses what is not an mmddl export."""
import json

import pytest

from mmddl.deploy import BACKENDS, build_backbone, read_deploy_info


def test_torch_is_the_models_own_backbone():
    assert build_backbone('torch') is None
    assert build_backbone('torch', 'ignored') is None
    assert BACKENDS == ('torch', 'onnxruntime', 'openvino')


def test_an_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown backend 'tensorrt'.*"
                       r'torch, onnxruntime, openvino'):
        build_backbone('tensorrt', 'x')


@pytest.mark.parametrize('backend', ['onnxruntime', 'openvino'])
def test_a_runtime_needs_the_export_folder(backend, tmp_path):
    with pytest.raises(ValueError, match=f'backend {backend} runs an ONNX '
                       'export: give onnx_dir'):
        build_backbone(backend, None)
    # the folder is checked before the runtime is imported
    with pytest.raises(FileNotFoundError, match='export_onnx.py first'):
        build_backbone(backend, str(tmp_path))


def test_deploy_json_must_be_mmddls_and_name_existing_graphs(tmp_path):
    deploy = tmp_path / 'deploy.json'
    deploy.write_text(json.dumps(dict(format='other')))
    with pytest.raises(ValueError, match='not an mmddl ONNX export'):
        read_deploy_info(str(tmp_path))
    graphs = {g: dict(file=f'{g}.onnx', inputs=[], outputs=[])
              for g in ('encoder', 'decoder')}
    deploy.write_text(json.dumps(dict(format='mmddl-onnx-v1',
                                      graphs=graphs)))
    with pytest.raises(FileNotFoundError, match='encoder.onnx, named by'):
        read_deploy_info(str(tmp_path))
    for graph in graphs:
        (tmp_path / f'{graph}.onnx').write_bytes(b'')
    assert read_deploy_info(str(tmp_path))['graphs'] == graphs
