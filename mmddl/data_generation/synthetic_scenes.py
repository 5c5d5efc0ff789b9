"""A small synthetic video anomaly dataset, generated in seconds.

One static camera looks at a textured scene with two sidewalks. In training
videos, pedestrians walk along the sidewalks at normal speeds. Test videos
hold the same normal traffic plus anomalous events, each with one object:

- ``fast``: a pedestrian on a sidewalk, several times faster than normal;
- ``shape``: an object of a shape never seen in training (a wide cart with
  no head) in the colours of normal clothes, at normal speed on a sidewalk:
  subtle on purpose, since a cart in a never-seen saturated hue is found by
  any reconstruction model (AUC ~1.0 for that kind) and leaves nothing to
  compare;
- ``place``: a pedestrian walking where nobody walks (the grass between and
  around the sidewalks).

A test frame is anomalous exactly when an anomalous object is visible in it.
The scene is built so that lazy scores do not find the anomalies: the
number of objects in view follows the same random target whether or not
one of them is anomalous, pedestrian colours are darker or lighter than the
ground at random, the cart wears the same colours, and a fast object crosses
the view in few frames. The tests check that the frame mean
intensity and the mean absolute frame difference score near 0.5 AUC.

Written layout (the "frames" layout of :class:`FrameFolderVADDataset`)::

    OUT/training/frames/01/000.jpg ...      OUT/testing/frames/01/000.jpg ...
    OUT/frame_labels_synthetic.npy          all test frames, videos in order
    OUT/synthetic.mat                       key gt: per video 2 x K ranges
    OUT/annotations/training_objects.json   per video, per frame: boxes
    OUT/annotations/testing_objects.json
    OUT/annotations/generator.json          the arguments used

Boxes are ``[x0, y0, x1, y1]`` in pixels of the written frames (x1, y1
exclusive), clipped to the frame, with an object ``id`` (unique within a
video) and ``anomaly`` (null or the kind).

Example:
    >>> video = render_video(np.random.default_rng(0), make_scene(
    ...     np.random.default_rng(0), (64, 64)), num_frames=20, anomalies=())
    >>> video['frames'].shape, int(video['labels'].sum())
    ((20, 64, 64, 3), 0)
"""
import json
import os
import os.path as osp
import shutil
import tempfile
from typing import Dict, List, Sequence, Tuple

import cv2
import numpy as np

ANOMALY_KINDS = ('fast', 'shape', 'place')
# Pedestrian colours (RGB): clothes darker or lighter than the ground,
# half and half, so people do not shift a frame's mean brightness one way.
WALKER_COLOURS = np.array(
    [[40, 50, 90], [60, 60, 60], [30, 90, 60], [120, 40, 40],
     [220, 220, 210], [190, 200, 230], [230, 210, 170], [230, 200, 190]],
    dtype=np.float32)


def make_scene(rng: np.random.Generator, size: Tuple[int, int]) -> dict:
    """The static background and where people walk.

    Args:
        rng (np.random.Generator): the source of randomness.
        size (tuple[int, int]): (width, height).

    Returns:
        dict: ``background`` (H, W, 3) float32 RGB, ``sidewalks`` (list of
        (y0, y1) row bands), ``grass`` (list of (y0, y1) bands nobody uses)
        and ``size``.
    """
    w, h = size
    noise = rng.normal(0, 1, (h // 4 + 2, w // 4 + 2, 3)).astype(np.float32)
    noise = cv2.resize(noise, (w, h), interpolation=cv2.INTER_CUBIC)
    fine = rng.normal(0, 1, (h, w, 1)).astype(np.float32)
    # Grass and sidewalk differ in hue and texture, not in brightness, so
    # an object's place does not change the frame's mean brightness.
    bg = np.empty((h, w, 3), np.float32)
    bg[:] = (120, 170, 115)  # grass, mean 135 like the sidewalk
    bg += 12 * noise + 6 * fine
    sidewalks = [(int(0.22 * h), int(0.40 * h)), (int(0.60 * h),
                                                  int(0.78 * h))]
    for y0, y1 in sidewalks:
        bg[y0:y1] = (140, 135, 130) + 5 * noise[y0:y1] + 4 * fine[y0:y1]
        # paving joints, so the ground has texture a model must learn
        bg[y0:y1, ::max(4, w // 12)] -= 18
    grass = [(int(0.02 * h), int(0.20 * h)), (int(0.42 * h), int(0.58 * h)),
             (int(0.80 * h), int(0.98 * h))]
    # Tree crowns in the grass: their leaves move with the wind, a normal
    # source of motion that owes nothing to anomalies.
    trees = []
    for _ in range(2):
        tw, th = int(0.3 * w), int(0.16 * h)
        ty0, ty1 = grass[[0, 2][len(trees)]]
        trees.append((int(rng.integers(0, w - tw)), ty0, tw,
                      min(th, ty1 - ty0)))
    leaves = rng.normal(0, 1, (h, 2 * w, 1)).astype(np.float32)
    leaves = cv2.GaussianBlur(leaves, (3, 3), 0.8)[..., None]
    return dict(
        background=np.clip(bg, 0, 255),
        sidewalks=sidewalks,
        grass=grass,
        trees=trees,
        leaves=leaves,
        size=(w, h))


def _draw_trees(frame: np.ndarray, scene: dict, sway: float) -> None:
    leaves = scene['leaves']
    shift = int(round(sway))
    for x, y, tw, th in scene['trees']:
        patch = leaves[y:y + th, x + shift + tw // 2:x + shift + tw // 2 + tw]
        frame[y:y + th, x:x + tw] = (70, 110, 60) + 45 * patch


def _walker(rng, scene, band, speed, start_x=None):
    w, h = scene['size']
    unit = h / 64
    ow, oh = max(2, round(4 * unit)), max(3, round(8 * unit))
    y0, y1 = band
    y = rng.uniform(y0, max(y0, y1 - oh))
    direction = rng.choice([-1, 1])
    x = (-ow if direction > 0 else w) if start_x is None else start_x
    return dict(
        x=float(x), y=float(y), vx=float(direction * speed),
        w=ow, h=oh, shape='walker', anomaly=None,
        colour=WALKER_COLOURS[rng.integers(len(WALKER_COLOURS))],
        phase=float(rng.uniform(0, 2 * np.pi)))


def _normal_speed(rng, scene):
    return float(rng.uniform(0.8, 1.6) * scene['size'][0] / 64)


def _anomalous_object(rng, scene, kind, ground):
    if kind == 'fast':
        band = scene['sidewalks'][rng.integers(2)]
        speed = float(rng.uniform(5.0, 7.0) * scene['size'][0] / 64)
        obj = _walker(rng, scene, band, speed)
    elif kind == 'shape':
        band = scene['sidewalks'][rng.integers(2)]
        obj = _walker(rng, scene, band, _normal_speed(rng, scene))
        # A shape never seen (a wide cart, no head) in the colours of
        # normal clothes: an anomaly that a reconstruction model tends to
        # reconstruct well anyway (it generalises), which is what DDL's
        # pseudo anomalies train against.
        obj.update(shape='cart', w=obj['w'] * 2, h=max(3, obj['h'] * 3 // 4))
        # two different clothing colours of one brightness group (dark or
        # light, as walkers are), so the cart is no brighter or darker
        # than a walker, only striped
        group = WALKER_COLOURS[4 * rng.integers(2):][:4]
        first, second = rng.choice(4, size=2, replace=False)
        obj['colour'], obj['stripe_colour'] = group[first], group[second]
    elif kind == 'place':
        band = scene['grass'][rng.integers(len(scene['grass']))]
        obj = _walker(rng, scene, band, _normal_speed(rng, scene))
    else:
        raise ValueError(f'unknown anomaly kind {kind!r}; expected one of '
                         f'{ANOMALY_KINDS}')
    obj['anomaly'] = str(kind)
    return obj


def _box(obj, size) -> List[int]:
    w, h = size
    x0, y0 = int(round(obj['x'])), int(round(obj['y']))
    return [max(0, x0), max(0, y0), min(w, x0 + obj['w']),
            min(h, y0 + obj['h'])]


def _draw(frame, obj, box):
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0:
        return
    frame[y0:y1, x0:x1] = obj['colour']
    if obj['shape'] == 'cart':
        # a load in horizontal stripes of two normal clothing colours:
        # fine structure that no pedestrian shows, and
        # that does not flicker as the cart moves sideways
        y_first = y0 + (int(round(obj['y'])) - y0) % 2
        frame[y_first:y1:2, x0:x1] = obj['stripe_colour']
        return
    # a head in skin tone on the top rows, so a walker is not a plain block
    head = max(1, obj['h'] // 4)
    frame[y0:min(y1, y0 + head), x0:x1] = (190, 150, 120)


def draw_exposed(frame: np.ndarray, obj: dict, size: Tuple[int, int],
                 exposure: float) -> List[int]:
    """Draw ``obj`` as a camera exposing for ``exposure`` of a frame
    interval sees it: a moving object is smeared along its path (motion
    blur), by about ``exposure * |vx|`` pixels; a normal walker (at most
    1.6 px/frame) by less than a pixel, a fast one by several.

    Returns:
        list[int]: the box of all the object drew in the frame; empty
        (x1 <= x0) if nothing. A fast object entering the frame can smear
        into it before its box at the start of the exposure does, and that
        frame shows it.
    """
    box = _box(obj, size)
    steps = int(np.ceil(abs(obj['vx']) * exposure))
    if steps <= 1:
        _draw(frame, obj, box)
        return box
    exposed = np.zeros_like(frame)
    drawn = []
    for k in range(steps):
        shot = frame.copy()
        moved = dict(obj, x=obj['x'] + obj['vx'] * exposure * k / steps)
        moved_box = _box(moved, size)
        _draw(shot, moved, moved_box)
        exposed += shot
        if moved_box[2] > moved_box[0] and moved_box[3] > moved_box[1]:
            drawn.append(moved_box)
    frame[:] = exposed / steps
    if not drawn:
        return box
    return [min(b[0] for b in drawn), min(b[1] for b in drawn),
            max(b[2] for b in drawn), max(b[3] for b in drawn)]


def render_video(rng: np.random.Generator,
                 scene: dict,
                 num_frames: int,
                 anomalies: Sequence[str] = (),
                 max_objects: int = 4,
                 noise_std: float = 2.0,
                 exposure_std: float = 0.012,
                 exposure: float = 0.5) -> dict:
    """Render one video.

    Args:
        rng (np.random.Generator): the source of randomness.
        scene (dict): from :func:`make_scene`.
        num_frames (int): frames to render.
        anomalies (Sequence[str]): kinds of the anomalous events, each
            starting at a random time. Defaults to () (a normal video).
        max_objects (int): most objects in view at once. Defaults to 4.
        noise_std (float): sensor noise. Defaults to 2.0.
        exposure_std (float): relative exposure flicker per frame.
            Defaults to 0.012.
        exposure (float): the shutter's open share of a frame interval,
            which sets the motion blur of moving objects. Defaults to 0.5.

    Returns:
        dict: ``frames`` (N, H, W, 3) uint8 RGB, ``labels`` (N,) uint8 and
        ``objects`` (per frame, a list of ``dict(id, box, anomaly)``).
    """
    w, h = scene['size']
    bg = scene['background']
    ground = float(bg[scene['sidewalks'][0][0]:
                      scene['sidewalks'][0][1]].mean())
    # Anomalous events become due at random times in the first two thirds
    # of the video, so that they have time to cross the view.
    starts = sorted(
        int(s) for s in rng.integers(
            2, max(3, num_frames * 2 // 3), size=len(anomalies)))
    pending = list(zip(starts, rng.permutation(list(anomalies))))
    objects, next_id = [], 1
    target = int(rng.integers(1, max_objects + 1))
    # normal traffic already in view at the first frame
    for _ in range(target):
        band = scene['sidewalks'][rng.integers(2)]
        obj = _walker(rng, scene, band, _normal_speed(rng, scene),
                      start_x=rng.uniform(0, w - 4))
        obj['id'] = next_id
        next_id += 1
        objects.append(obj)
    wind, sway = float(rng.choice([0.0, 1.0, 3.0])), 0.0
    frames = np.empty((num_frames, h, w, 3), np.uint8)
    labels = np.zeros(num_frames, np.uint8)
    per_frame = []
    for t in range(num_frames):
        if rng.random() < 0.05:
            target = int(rng.integers(1, max_objects + 1))
        # A due anomalous object takes the place of the next normal
        # arrival, so the number of objects in view gives nothing away.
        if len(objects) < target and rng.random() < 0.3:
            if pending and pending[0][0] <= t:
                obj = _anomalous_object(rng, scene, pending.pop(0)[1],
                                        ground)
            else:
                band = scene['sidewalks'][rng.integers(2)]
                obj = _walker(rng, scene, band, _normal_speed(rng, scene))
            obj['id'] = next_id
            next_id += 1
            objects.append(obj)
        frame = bg.copy()
        # Wind comes in gusts: calm, breeze or storm, switching at random.
        if rng.random() < 0.08:
            wind = float(rng.choice([0.0, 1.0, 3.0]))
        sway = float(np.clip(sway + rng.normal(0, wind), -w / 8, w / 8))
        _draw_trees(frame, scene, sway)
        visible = []
        for obj in objects:
            box = draw_exposed(frame, obj, (w, h), exposure)
            if box[2] > box[0] and box[3] > box[1]:
                visible.append(
                    dict(id=obj['id'], box=box, anomaly=obj['anomaly']))
                if obj['anomaly']:
                    labels[t] = 1
        # Sensor noise, and the exposure flicker of a cheap camera.
        frame *= 1 + rng.normal(0, exposure_std)
        frame += rng.normal(0, noise_std, frame.shape).astype(np.float32)
        frames[t] = np.clip(frame, 0, 255).astype(np.uint8)
        per_frame.append(visible)
        for obj in objects:
            obj['x'] += obj['vx']
            obj['phase'] += 0.5
            # a slight sway, as people do not walk on rails
            obj['y'] += 0.3 * np.sin(obj['phase'])
        objects = [
            o for o in objects
            if -o['w'] - 1 <= o['x'] <= w + 1 and o['vx'] != 0
        ]
    return dict(frames=frames, labels=labels, objects=per_frame)


def _ranges(labels: np.ndarray) -> np.ndarray:
    """1-based inclusive [start; end] anomaly ranges, 2 x K."""
    padded = np.concatenate([[0], labels.astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(padded))
    return np.stack([edges[0::2] + 1, edges[1::2]]).astype(np.float64) \
        if edges.size else np.zeros((2, 0))


def generate_videos(seed: int = 0,
                    train_videos: int = 8,
                    test_videos: int = 6,
                    frames: int = 120,
                    size: Tuple[int, int] = (64, 64),
                    anomalies_per_video: int = 2,
                    anomaly_kinds: Sequence[str] = ANOMALY_KINDS) -> dict:
    """Generate the whole set in memory.

    Returns:
        dict: ``train`` and ``test``, each a dict video id -> the dict of
        :func:`render_video`.
    """
    if frames < 16:
        raise ValueError(f'frames must be at least 16, got {frames}')
    if min(size) < 32:
        raise ValueError(f'size must be at least 32 x 32, got {size}')
    for kind in anomaly_kinds:
        if kind not in ANOMALY_KINDS:
            raise ValueError(f'unknown anomaly kind {kind!r}; expected one '
                             f'of {ANOMALY_KINDS}')
    rng = np.random.default_rng(seed)
    scene = make_scene(rng, tuple(size))
    out = dict(train={}, test={})
    for i in range(train_videos):
        out['train'][f'{i + 1:02d}'] = render_video(rng, scene, frames)
    for i in range(test_videos):
        # Cycle through the kinds so that every kind shows up.
        kinds = [
            anomaly_kinds[(i * anomalies_per_video + k) % len(anomaly_kinds)]
            for k in range(anomalies_per_video)
        ] if anomaly_kinds else []
        out['test'][f'{i + 1:02d}'] = render_video(rng, scene, frames, kinds)
    return out


def _write_split(root: str, split_dir: str, videos: Dict[str, dict],
                 ext: str) -> None:
    for vid, video in videos.items():
        folder = osp.join(root, split_dir, 'frames', vid)
        os.makedirs(folder)
        for t, frame in enumerate(video['frames']):
            path = osp.join(folder, f'{t:03d}{ext}')
            if not cv2.imwrite(path, cv2.cvtColor(frame, cv2.COLOR_RGB2BGR),
                               [cv2.IMWRITE_JPEG_QUALITY, 95]):
                raise OSError(f'Cannot write frame {path}')


def make_synthetic_dataset(out_dir: str,
                           seed: int = 0,
                           train_videos: int = 8,
                           test_videos: int = 6,
                           frames: int = 120,
                           size: Tuple[int, int] = (64, 64),
                           anomalies_per_video: int = 2,
                           ext: str = '.jpg',
                           overwrite: bool = False) -> dict:
    """Generate the set and write it to ``out_dir`` (see the module doc).

    The set is written into a temporary folder beside ``out_dir`` and
    renamed into place, so ``out_dir`` is either complete or absent.

    Args:
        out_dir (str): the dataset root to create.
        seed (int): the same seed gives the same set. Defaults to 0.
        train_videos (int): training videos. Defaults to 8.
        test_videos (int): test videos. Defaults to 6.
        frames (int): frames per video. Defaults to 120.
        size (tuple[int, int]): (width, height). Defaults to (64, 64).
        anomalies_per_video (int): anomalous events per test video.
            Defaults to 2.
        ext (str): '.jpg' or '.png'. Defaults to '.jpg'.
        overwrite (bool): replace an existing ``out_dir``. Defaults to
            False (an existing non-empty ``out_dir`` is an error).

    Returns:
        dict: counts (videos, frames, anomalous frames).

    Examples:
        >>> make_synthetic_dataset('data/synthetic')  # doctest: +SKIP
        {'train_videos': 8, 'test_videos': 6, ...}
    """
    if ext not in ('.jpg', '.png'):
        raise ValueError(f'ext must be .jpg or .png, got {ext!r}')
    out_dir = osp.abspath(out_dir)
    if osp.exists(out_dir) and os.listdir(out_dir) and not overwrite:
        raise FileExistsError(f'{out_dir} exists and is not empty; pass '
                              '--overwrite to replace it')
    args = dict(seed=seed, train_videos=train_videos,
                test_videos=test_videos, frames=frames, size=list(size),
                anomalies_per_video=anomalies_per_video, ext=ext)
    data = generate_videos(seed, train_videos, test_videos, frames,
                           tuple(size), anomalies_per_video)
    parent = osp.dirname(out_dir)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(dir=parent,
                           prefix='.' + osp.basename(out_dir) + '.partial-')
    try:
        _write_split(tmp, 'training', data['train'], ext)
        _write_split(tmp, 'testing', data['test'], ext)
        test_ids = sorted(data['test'])
        labels = np.concatenate([data['test'][v]['labels']
                                 for v in test_ids]) if test_ids else \
            np.zeros(0, np.uint8)
        np.save(osp.join(tmp, 'frame_labels_synthetic.npy'), labels)
        from scipy.io import savemat
        gt = np.empty((1, len(test_ids)), dtype=object)
        for i, vid in enumerate(test_ids):
            gt[0, i] = _ranges(data['test'][vid]['labels'])
        savemat(osp.join(tmp, 'synthetic.mat'), dict(gt=gt))
        os.makedirs(osp.join(tmp, 'annotations'))
        for split, name in (('train', 'training'), ('test', 'testing')):
            with open(osp.join(tmp, 'annotations',
                               f'{name}_objects.json'), 'w') as f:
                json.dump({v: d['objects']
                           for v, d in data[split].items()}, f)
        with open(osp.join(tmp, 'annotations', 'generator.json'), 'w') as f:
            json.dump(args, f, indent=1)
        if osp.exists(out_dir):
            shutil.rmtree(out_dir)
        os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dict(
        train_videos=train_videos,
        test_videos=test_videos,
        train_frames=train_videos * frames,
        test_frames=int(labels.size),
        anomalous_test_frames=int(labels.sum()))


def read_frame_kinds(data_root: str) -> Dict[str, List[Tuple[str, ...]]]:
    """The kinds of anomaly each test frame of a written set shows.

    Args:
        data_root (str): a set written by :func:`make_synthetic_dataset`.

    Returns:
        dict: video id -> per frame, the sorted tuple of the anomaly kinds
        of the objects visible in it (empty for a normal frame), for
        :func:`mmddl.evaluation.functional.auc_by_kind`.

    Examples:
        >>> kinds = read_frame_kinds('data/synthetic')  # doctest: +SKIP
        >>> kinds['01'][40]  # doctest: +SKIP
        ('fast',)
    """
    path = osp.join(data_root, 'annotations', 'testing_objects.json')
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'{path} not found: it is written by '
            f'`python tools/make_synthetic_dataset.py {data_root}`')
    with open(path) as f:
        objects = json.load(f)
    return {
        vid: [tuple(sorted({o['anomaly'] for o in frame if o['anomaly']}))
              for frame in frames]
        for vid, frames in objects.items()
    }
