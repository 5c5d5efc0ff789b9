import os

import pytest

from mmddl.tracking import BoxCache, MotionBlobDetector, build_box_cache

from .clips import moving_squares_clip


class CountingDetector(MotionBlobDetector):
    """Counts prepared videos; can fail on a given video to simulate a kill."""

    def __init__(self, fail_on=None):
        super().__init__(min_area=20)
        self.prepared = []
        self.fail_on = fail_on

    def prepare_video(self, frames):
        self.prepared.append(frames[0][0, 0, 0])  # identifies the clip
        if self.fail_on is not None and len(self.prepared) == self.fail_on:
            raise KeyboardInterrupt('simulated kill')
        super().prepare_video(frames)


def videos():
    return {f'0{i}': moving_squares_clip(num_frames=8, seed=i)[0]
            for i in range(3)}


def test_interrupted_build_resumes_without_redoing_videos(tmp_path):
    out = str(tmp_path / 'boxes.json')
    with pytest.raises(KeyboardInterrupt):
        build_box_cache(videos(), CountingDetector(fail_on=3),
                        dict(init_track_thr=0.5), out, progress=False)
    assert not os.path.exists(out)  # nothing half-written
    assert sorted(os.listdir(out + '.parts')) == ['00.json', '01.json']

    detector = CountingDetector()
    stats = build_box_cache(videos(), detector, dict(init_track_thr=0.5),
                            out, progress=False)
    assert len(detector.prepared) == 1  # only the unfinished video
    assert stats['videos_skipped'] == 2 and stats['frames'] == 8
    assert not os.path.exists(out + '.parts')

    cache = BoxCache.load(out)
    assert sorted(cache.videos) == ['00', '01', '02']
    uninterrupted = str(tmp_path / 'straight.json')
    build_box_cache(videos(), CountingDetector(), dict(init_track_thr=0.5),
                    uninterrupted, progress=False)
    assert BoxCache.load(uninterrupted).videos == cache.videos


def test_interrupted_build_with_changed_settings_is_rebuilt_wholly(tmp_path):
    out = str(tmp_path / 'boxes.json')
    old = dict(tracker=dict(init_track_thr=0.5))
    with pytest.raises(KeyboardInterrupt):
        build_box_cache(videos(), CountingDetector(fail_on=3),
                        old['tracker'], out, progress=False, meta=old)
    new = dict(tracker=dict(init_track_thr=0.9))
    detector = CountingDetector()
    stats = build_box_cache(videos(), detector, new['tracker'], out,
                            progress=False, meta=new)
    # the two parts finished with the old settings are not mixed in
    assert stats['videos_skipped'] == 0 and len(detector.prepared) == 3
    straight = str(tmp_path / 'straight.json')
    build_box_cache(videos(), CountingDetector(), new['tracker'], straight,
                    progress=False, meta=new)
    assert open(out, 'rb').read() == open(straight, 'rb').read()
