"""Live scoring: a stream that drops is reconnected and its gap logged, the
centred smoothing gives the offline scores, alerts close with hysteresis."""
import numpy as np
import pytest
import torch

from mmddl.apis import init_model, score_video
from mmddl.apis.alerts import AlertTracker
from mmddl.apis.live_scoring import latency_frames, score_live
from mmddl.apis.live_source import LiveCapture, parse_live_source
from mmddl.datasets.frame_format import FrameFormat, frame_format_from_config
from mmddl.evaluation.functional.online_smoothing import OnlineSmoother
from mmddl.evaluation.functional.smoothing import median_smooth
from mmddl.testing.mjpeg_server import MJPEGServer
from mmddl.testing.videos import write_lossless_avi

CONFIG = 'tests/data/configs/tiny_c3dsu_infer.py'


@pytest.fixture(scope='module')
def model():
    torch.manual_seed(0)
    return init_model(CONFIG)


def clip(n, seed):
    rng = np.random.default_rng(seed)
    import cv2
    small = rng.integers(0, 256, (n, 8, 8, 3), dtype=np.uint8)
    return np.stack([cv2.resize(f, (32, 32), interpolation=cv2.INTER_CUBIC)
                     for f in small])


def test_parse_live_source():
    assert parse_live_source('0') == 0 and parse_live_source(2) == 2
    assert parse_live_source('/dev/video1') == '/dev/video1'
    for url in ('rtsp://cam/1', 'http://x/y.mjpg', 'HTTPS://x/l.m3u8',
                'udp://0.0.0.0:5000'):
        assert parse_live_source(url) == url
    assert parse_live_source('clip.avi') is None
    assert parse_live_source('frames/') is None


@pytest.mark.parametrize('kind,window', [('centred', 5), ('trailing', 5),
                                         ('ema', 4), ('none', None)])
def test_online_smoothing_equals_its_offline_definition(kind, window):
    x = np.random.default_rng(1).random(23)
    smoother = OnlineSmoother(kind, window)
    out = [p for v in x for p in smoother.push(v)] + smoother.flush()
    assert [i for i, _ in out] == list(range(23))
    got = np.array([v for _, v in out])
    if kind == 'centred':
        np.testing.assert_allclose(got, median_smooth(x, window))
        assert smoother.latency == 2
    elif kind == 'trailing':
        padded = np.concatenate([[x[0]] * (window - 1), x])
        want = [np.median(padded[i:i + window]) for i in range(23)]
        np.testing.assert_allclose(got, want)
        assert smoother.latency == 0
    elif kind == 'ema':
        want, alpha = [x[0]], 2 / (window + 1)
        for v in x[1:]:
            want.append(alpha * v + (1 - alpha) * want[-1])
        np.testing.assert_allclose(got, want)
    else:
        np.testing.assert_allclose(got, x)


def test_alert_hysteresis_and_minimum_duration():
    tracker = AlertTracker(threshold=1.0, release=0.5, min_frames=3)
    scores = [0, 1.2, 0.7, 1.5, 0.6, 0.2,  # one event, frames 1-4
              1.1, 0.1,  # too short: dropped
              2.0, 2.0, 2.0]  # open when the stream ends
    events = [tracker.push(i, s, 100.0 + i) for i, s in enumerate(scores)]
    closed = [e for e in events if e]
    assert len(closed) == 1
    event = closed[0].as_dict()
    assert (event['start_frame'], event['end_frame'], event['peak_frame'],
            event['peak_score'], event['frames']) == (1, 4, 3, 1.5, 4)
    assert event['duration_s'] == 3.0 and 'start_time_iso' in event
    last = tracker.close()
    assert (last.start_frame, last.end_frame) == (8, 10)
    with pytest.raises(ValueError, match='release'):
        AlertTracker(threshold=1.0, release=2.0)


def test_live_file_source_scores_equal_the_offline_path(model, tmp_path):
    frames = clip(30, 0)
    avi = write_lossless_avi(str(tmp_path / 'clip.avi'), frames)
    offline = score_video(model, avi, smoothing_window=5)
    rows = []
    capture = LiveCapture(avi, frame_format_from_config(model.cfg),
                          queue_size=64, log=lambda m: None)
    summary = score_live(model, capture, smoothing='centred', window=5,
                         on_row=rows.append)
    assert summary.ended_by == 'source' and summary.segments == 1
    assert [r.index for r in rows] == offline.frame_inds.tolist()
    np.testing.assert_allclose([r.score_raw for r in rows],
                               offline.scores_raw, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose([r.score_smoothed for r in rows],
                               offline.scores_smoothed, rtol=1e-5,
                               atol=1e-7)
    assert latency_frames(model.clip_len, OnlineSmoother('centred', 5)) == 3


def test_a_stream_that_drops_is_reconnected_in_new_segments(model):
    first, second = clip(12, 1), clip(9, 2)
    logs = []
    with MJPEGServer([first, second], interval=0.01) as server:
        capture = LiveCapture(server.url, FrameFormat((32, 32)),
                              queue_size=64, read_timeout=2,
                              backoff=(0.05, 0.2), max_gap=1.5,
                              log=logs.append)
        rows = []
        summary = score_live(model, capture, smoothing='trailing', window=3,
                             on_row=rows.append)
        capture.stop()
    text = '\n'.join(logs)
    assert 'stream lost after frame' in text and 'back after' in text
    assert 'giving up' in capture.error
    assert capture.read == 21 and capture.reconnects >= 2
    assert summary.segments == 2 and len(capture.gaps) == 1
    # no window spans the gap: each segment loses its first and last frame
    segments = [[r.index for r in rows if r.segment == s] for s in (0, 1)]
    assert segments == [list(range(1, 11)), list(range(13, 20))]


def test_a_slow_scorer_drops_frames_instead_of_queueing_them(model):
    frames = clip(40, 3)
    with MJPEGServer([frames], interval=0.0) as server:
        capture = LiveCapture(server.url, FrameFormat((32, 32)),
                              queue_size=2, backoff=(0.05, 0.1), max_gap=0.5,
                              log=lambda m: None)
        seen = 0
        for item in capture:
            seen += 1
            import time
            time.sleep(0.05)  # a scorer slower than the source
        capture.stop()
    assert capture.read == 40
    assert capture.dropped > 0 and seen + capture.dropped == 40
