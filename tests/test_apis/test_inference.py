"""init_model and score_video on a tiny C3DSU (32x32 frames)."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmddl.apis import init_model, score_video
from mmddl.datasets.frame_decoding import resize_frame
from mmddl.evaluation.functional import median_smooth
from mmddl.testing.videos import write_lossless_avi

CONFIG = 'tests/data/configs/tiny_c3dsu_infer.py'


@pytest.fixture(scope='module')
def model():
    torch.manual_seed(0)
    return init_model(CONFIG)


@pytest.fixture(scope='module')
def frames():
    # smooth random blobs, so reconstructions differ from frame to frame
    rng = np.random.default_rng(0)
    small = rng.integers(0, 256, (11, 8, 8, 3), dtype=np.uint8)
    return np.stack([
        cv2.resize(f, (32, 32), interpolation=cv2.INTER_CUBIC) for f in small
    ])


def write_folder(folder, frames, ext='.png'):
    os.makedirs(folder)
    for i, frame in enumerate(frames):
        # unpadded names: 10.png must come after 9.png
        cv2.imwrite(
            osp.join(folder, f'{i}{ext}'),
            cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    return folder


def sliding_window(model, frames):
    """Reference: model.predict on each T-frame window."""
    clip_len = model.clip_len
    scores, maps = [], []
    for start in range(len(frames) - clip_len + 1):
        clip = torch.from_numpy(frames[start:start + clip_len]).permute(
            3, 0, 1, 2)[None].float() / 255
        sample = model.predict(clip)[0]
        scores.append(float(sample.pred_score))
        maps.append(sample.error_map.numpy())
    return np.array(scores), np.stack(maps)


def test_array_scores_equal_the_sliding_window(model, frames):
    result = score_video(
        model, frames, batch_size=4, smoothing_window=3, keep_maps=True)
    expected, maps = sliding_window(model, frames)
    assert result.frame_inds.tolist() == list(range(1, 10))
    assert result.num_frames == 11 and result.clip_len == 3
    np.testing.assert_allclose(result.scores_raw, expected, atol=1e-5)
    np.testing.assert_allclose(result.error_maps, maps, atol=1e-5)
    np.testing.assert_array_equal(result.frames, frames[1:10])
    np.testing.assert_allclose(result.scores_smoothed,
                               median_smooth(result.scores_raw, 3))
    assert not np.allclose(result.scores_smoothed, result.scores_raw)
    best = int(np.argmax(result.scores_smoothed))
    assert result.top_frames(1) == [(best + 1, result.scores_smoothed[best])]


def test_folder_avi_and_array_give_the_same_scores(model, frames, tmp_path):
    folder = write_folder(str(tmp_path / 'clip'), frames)
    avi = write_lossless_avi(str(tmp_path / 'clip.avi'), frames)
    from_array = score_video(model, torch.from_numpy(frames))
    from_folder = score_video(model, folder, batch_size=3)
    from_avi = score_video(model, avi, batch_size=5)
    assert from_folder.name == from_avi.name == 'clip'
    assert from_avi.fps == 10
    for other in (from_folder, from_avi):
        np.testing.assert_array_equal(other.frame_inds, from_array.frame_inds)
        np.testing.assert_allclose(
            other.scores_raw, from_array.scores_raw, atol=1e-6)
    # the maps are kept only when asked
    assert from_folder.error_maps is None and from_folder.frames is None


def test_frames_are_resized_to_the_training_size(model, frames, tmp_path):
    big = np.stack([
        cv2.resize(f, (48, 40), interpolation=cv2.INTER_CUBIC) for f in frames
    ])
    # the training pipeline's default resize, antialiased
    resized = np.stack([resize_frame(f, (32, 32)) for f in big])
    result = score_video(model, big, keep_maps=True)
    assert result.error_maps.shape == (9, 32, 32)
    np.testing.assert_allclose(
        result.scores_raw, sliding_window(model, resized)[0], atol=1e-5)
    folder = write_folder(str(tmp_path / 'big'), big)
    np.testing.assert_allclose(
        score_video(model, folder).scores_raw, result.scores_raw, atol=1e-6)


def test_grayscale_pipeline_reads_grey_frames(frames, tmp_path):
    cfg = Config.fromfile(CONFIG)
    cfg.model.backbone.in_channels = 1
    cfg.test_dataloader.dataset.pipeline[0].grayscale = True
    model = init_model(cfg)
    folder = write_folder(str(tmp_path / 'grey'), frames, '.jpg')
    grey = np.stack([
        cv2.imread(osp.join(folder, f'{i}.jpg'), cv2.IMREAD_GRAYSCALE)
        for i in range(len(frames))
    ])[..., None]
    result = score_video(model, folder)
    np.testing.assert_allclose(
        result.scores_raw, sliding_window(model, grey)[0], atol=1e-5)


def save_tiny_checkpoint(path, model):
    torch.save(
        dict(
            state_dict=model.state_dict(),
            meta=dict(cfg=Config.fromfile(CONFIG).pretty_text)), path)
    return path


def test_init_model_restores_the_weights(tmp_path):
    torch.manual_seed(1)
    trained = init_model(CONFIG)
    ckpt = save_tiny_checkpoint(str(tmp_path / 'tiny.pth'), trained)
    torch.manual_seed(2)
    fresh = init_model(CONFIG)
    state = trained.state_dict()
    differs = [
        k for k, v in fresh.state_dict().items()
        if v.is_floating_point() and not torch.equal(v, state[k])
    ]
    assert differs, 'two random initialisations should differ'
    for config in (CONFIG, None):  # None: the config stored in the file
        loaded = init_model(config, ckpt)
        assert not loaded.training
        assert loaded.cfg.model.backbone.widths == [8, 16, 32, 64]
        for name, value in loaded.state_dict().items():
            torch.testing.assert_close(value, state[name])


def test_missing_checkpoint_names_the_path_and_the_command(tmp_path):
    gone = str(tmp_path / 'gone.pth')
    with pytest.raises(FileNotFoundError) as err:
        init_model(CONFIG, gone)
    assert gone in str(err.value)
    assert f'python tools/train.py {CONFIG}' in str(err.value)
    with pytest.raises(FileNotFoundError, match='gone.pth'):
        init_model(None, gone)


def test_checkpoint_without_config_needs_the_config(tmp_path, model):
    ckpt = str(tmp_path / 'bare.pth')
    torch.save(dict(state_dict=model.state_dict()), ckpt)
    with pytest.raises(ValueError, match='holds no config'):
        init_model(None, ckpt)


def test_video_shorter_than_the_window_is_an_error(model, frames, tmp_path):
    with pytest.raises(ValueError, match='2 frames, fewer than .* T=3'):
        score_video(model, frames[:2])
    folder = write_folder(str(tmp_path / 'short'), frames[:2])
    with pytest.raises(ValueError, match='short'):
        score_video(model, folder)


def test_unreadable_inputs_are_clear_errors(model, frames, tmp_path):
    with pytest.raises(FileNotFoundError, match='nowhere.avi'):
        score_video(model, str(tmp_path / 'nowhere.avi'))
    text = tmp_path / 'notes.avi'
    text.write_text('not a video')
    with pytest.raises(ValueError, match='notes.avi'):
        score_video(model, str(text))
    empty = tmp_path / 'empty'
    empty.mkdir()
    with pytest.raises(FileNotFoundError, match='No frames'):
        score_video(model, str(empty))
    folder = write_folder(str(tmp_path / 'broken'), frames[:4])
    with open(osp.join(folder, '2.png'), 'wb') as f:
        f.write(b'garbage')
    with pytest.raises(ValueError, match='2.png'):
        score_video(model, folder)
    with pytest.raises(ValueError, match='single image'):
        score_video(model, osp.join(folder, '0.png'))
    with pytest.raises(ValueError, match='uint8'):
        score_video(model, frames.astype(np.float32))
    with pytest.raises(ValueError, match='odd'):
        score_video(model, frames, smoothing_window=4)


def test_frame_format_comes_from_the_test_pipeline():
    from mmddl.apis import FrameFormat, frame_format_from_config
    loader = dict(
        type='mmddl.LoadFrameWindow',
        scale=(64, 48),
        grayscale=True,
        interpolation='area')
    cfg = Config(dict(test_pipeline=[loader], img_scale=(8, 8)))
    assert frame_format_from_config(cfg) == FrameFormat((64, 48), True,
                                                        'area')
    assert frame_format_from_config(Config(dict(
        img_scale=(20, 10)))) == FrameFormat((20, 10))
    assert frame_format_from_config(Config()) == FrameFormat()


def test_path_objects_and_no_smoothing(model, frames, tmp_path):
    folder = write_folder(str(tmp_path / 'clip'), frames)
    result = score_video(model, tmp_path / 'clip', smoothing_window=None)
    np.testing.assert_array_equal(result.scores_smoothed, result.scores_raw)
    assert result.name == osp.basename(folder)
    with pytest.raises(TypeError, match='path or an'):
        score_video(model, 3)


def test_init_model_builds_in_mmddl_scope_when_another_is_current():
    from mmengine.registry import DefaultScope
    with DefaultScope.overwrite_default_scope('mmengine'):
        model = init_model(CONFIG)
        assert DefaultScope.get_current_instance().scope_name == 'mmengine'
    assert type(model).__name__ == 'DDLReconstructor'
