"""tools/prepare_dataset.py: decodes, resumes, and never leaves a
half-written video."""
import os
import os.path as osp

import pytest
from conftest import TRAIN_LENGTHS

from mmddl.datasets import video_decoding
from mmddl.datasets.video_decoding import prepare_dataset
from mmddl.testing.tools import run_tool


def frame_dirs(root, split):
    folder = osp.join(root, split, 'frames')
    return sorted(os.listdir(folder)) if osp.isdir(folder) else []


def test_tool_decodes_then_skips_what_is_done(avenue_root):
    result = run_tool(['tools/prepare_dataset.py', 'avenue', avenue_root])
    assert 'decoded 4 videos (26 frames), skipped 0' in result.stdout
    assert frame_dirs(avenue_root, 'training') == ['01', '02']
    assert sorted(os.listdir(osp.join(avenue_root, 'training', 'frames',
                                      '01'))) == [
        f'{i:04d}.jpg' for i in range(TRAIN_LENGTHS[0])]
    again = prepare_dataset('avenue', avenue_root, progress=False)
    assert again == dict(decoded=0, skipped=4, frames=0)


def test_interruption_leaves_no_half_written_video(avenue_root):
    written = []

    def write_then_die(path, frame, params):
        if len(written) == 3:
            raise KeyboardInterrupt  # Ctrl-C amid training video 01
        written.append(path)
        video_decoding._write_frame(path, frame, params)

    with pytest.raises(KeyboardInterrupt):
        prepare_dataset('avenue', avenue_root, progress=False,
                        write_frame=write_then_die)
    frames = osp.join(avenue_root, 'training', 'frames')
    # the video being decoded is absent, and so is its temporary folder
    assert len(written) == 3 and os.listdir(frames) == []
    stats = prepare_dataset('avenue', avenue_root, progress=False)
    assert stats['decoded'] == 4


def test_a_killed_run_is_cleaned_up_next_time(avenue_root):
    prepare_dataset('avenue', avenue_root, progress=False)
    # a hard kill (no cleanup) leaves a hidden partial folder
    frames = osp.join(avenue_root, 'testing', 'frames')
    os.rename(osp.join(frames, '02'),
              osp.join(frames, '.02' + video_decoding.PARTIAL_TAG + 'x'))
    stats = prepare_dataset('avenue', avenue_root, progress=False)
    assert stats == dict(decoded=1, skipped=3, frames=7)
    assert sorted(os.listdir(frames)) == ['01', '02']


def test_no_videos_says_where_they_were_expected(tmp_path):
    with pytest.raises(FileNotFoundError, match='training_videos'):
        prepare_dataset('avenue', str(tmp_path), progress=False)


def test_an_unreadable_video_is_named(avenue_root):
    bad = osp.join(avenue_root, 'testing_videos', '03.avi')
    with open(bad, 'wb') as f:
        f.write(b'not a video')
    with pytest.raises(ValueError, match='03.avi'):
        prepare_dataset('avenue', avenue_root, progress=False)
    assert '03' not in os.listdir(osp.join(avenue_root, 'testing', 'frames'))
