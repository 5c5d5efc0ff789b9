import json

import pytest

from mmddl.datasets import BoxCache


def make_cache():
    cache = BoxCache(meta=dict(detector='test'))
    cache.set_video('01', [{0: [0.1, 0.2, 0.3, 0.4]},
                           {0: [0.15, 0.2, 0.35, 0.4],
                            5: [0.5, 0.5, 0.6, 0.7]},
                           {}])
    cache.set_video('02', [{}, {2: [0.0, 0.0, 1.0, 1.0]}])
    return cache


def test_own_format_round_trip(tmp_path):
    cache = make_cache()
    path = str(tmp_path / 'boxes.json')
    cache.save(path)
    loaded = BoxCache.load(path)
    assert loaded.videos == cache.videos
    assert loaded.num_frames == {'01': 3, '02': 2}
    assert loaded.meta == dict(detector='test')
    assert loaded.tracks_in_window('01', [0, 1]) == [0]
    assert loaded.tracks_in_window('01', [1, 2]) == []


def test_authors_format_round_trip_with_frame_lists(tmp_path):
    cache = make_cache()
    frame_paths = {
        '01': [f'/data/ped2/training/frames/01/{i:03d}.jpg' for i in range(3)],
        '02': [f'/data/ped2/training/frames/02/{i:03d}.jpg' for i in range(2)],
    }
    path = str(tmp_path / 'tracked_bounding_boxes.json')
    cache.save_authors_json(path, frame_paths)
    raw = json.load(open(path))
    assert raw['/data/ped2/training/frames/01/001.jpg']['5'] == {
        'box': [0.5, 0.5, 0.6, 0.7]}
    assert raw['/data/ped2/training/frames/01/002.jpg'] == {}
    # the same frames under another root still match by <video>/<file>
    moved = {v: [p.replace('/data/ped2', '/elsewhere') for p in ps]
             for v, ps in frame_paths.items()}
    loaded = BoxCache.load(path, frame_paths=moved)
    assert loaded.videos == cache.videos


def test_authors_format_without_frame_lists_uses_file_numbers(tmp_path):
    # 1-based names as in UCSD's original Train001/001.tif
    data = {
        'UCSDped2/Train/Train001/001.tif': {'3': {'box': [0, 0, .5, .5]}},
        'UCSDped2/Train/Train001/002.tif': {'3': {'box': [0, 0, .6, .5]}},
    }
    path = tmp_path / 'tracked_bounding_boxes.json'
    path.write_text(json.dumps(data))
    loaded = BoxCache.load(str(path))
    assert loaded.frame_boxes('Train001', 0) == {3: [0, 0, .5, .5]}
    assert loaded.frame_boxes('Train001', 1) == {3: [0, 0, .6, .5]}


def test_unmatched_frame_paths_are_reported(tmp_path):
    path = tmp_path / 'b.json'
    path.write_text(json.dumps({'x/09/000.jpg': {}}))
    with pytest.raises(ValueError, match='match no frame'):
        BoxCache.load(str(path), frame_paths={'01': ['r/01/000.jpg']})


def test_bad_files_name_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match='nothere.json'):
        BoxCache.load(str(tmp_path / 'nothere.json'))
    bad = tmp_path / 'bad.json'
    bad.write_text('{not json')
    with pytest.raises(ValueError, match='bad.json'):
        BoxCache.load(str(bad))
