"""Cut a real surveillance video into a VAD set with injected anomalies.

The real-footage check of docs/real_footage.md: real video that mmddl did
not make, normal training clips, and test clips with anomalies injected and
labelled frame by frame:

- ``01`` a person-sized foreign object (a patch cut from another real
  video) crossing the footpath fast;
- ``02`` a segment played ``--speedup`` times faster (frames skipped);
- ``03`` a vehicle-sized foreign object crossing the lawn, where no one
  walks.

Training clips come from the first part of the video, test clips from the
rest, so no test frame is seen in training. The output is the frames
layout :class:`mmddl.datasets.FrameFolderVADDataset` reads, with
``frame_labels_<name>.npy``, written to a temporary folder and renamed.

The default video is OpenCV's ``vtest.avi`` (768x576, 795 frames of a
pedestrian area seen by a still camera), from the Debian package
``opencv-doc``; the foreign objects are cut from ``tree.avi`` and
``Megamind.avi`` of the same package::

    apt-get download opencv-doc && dpkg -x opencv-doc_*.deb /tmp/opencv-doc
    python tools/benchmarks/make_real_footage_set.py \\
        /tmp/opencv-doc/usr/share/doc/opencv-doc/examples/data data/vtest
"""
import argparse
import json
import os
import os.path as osp
import shutil
import sys

import cv2
import numpy as np


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('video_dir',
                        help="folder holding vtest.avi, tree.avi, "
                        "Megamind.avi (opencv-doc's examples/data)")
    parser.add_argument('out', help='dataset root to write')
    parser.add_argument('--name', default='vtest', help='dataset name')
    parser.add_argument('--train-clips', type=int, default=5)
    parser.add_argument('--train-len', type=int, default=80,
                        help='frames per training clip')
    parser.add_argument('--test-len', type=int, default=90,
                        help='frames per test clip')
    parser.add_argument('--speedup', type=int, default=5)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--force', action='store_true',
                        help='replace an existing output folder')
    return parser.parse_args()


def read_video(path: str) -> np.ndarray:
    """All frames of a video file, (N, H, W, 3) BGR uint8."""
    capture = cv2.VideoCapture(path)
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame)
    capture.release()
    if not frames:
        sys.exit(f'cannot decode any frame of {path}')
    return np.stack(frames)


def cut_patch(frames: np.ndarray, size, rng) -> np.ndarray:
    """A (h, w, 3) patch of ``size`` = (w, h) from a random frame, taken
    around the frame's most textured region so it is not blank."""
    frame = frames[rng.integers(len(frames))]
    w, h = size
    if frame.shape[0] < h or frame.shape[1] < w:
        frame = cv2.resize(frame, (max(w, frame.shape[1]),
                                   max(h, frame.shape[0])))
    grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY).astype(np.float32)
    texture = cv2.blur(np.abs(cv2.Laplacian(grey, cv2.CV_32F)), (w, h))
    margin_y, margin_x = h // 2, w // 2
    inner = texture[margin_y:frame.shape[0] - h + margin_y + 1,
                    margin_x:frame.shape[1] - w + margin_x + 1]
    y, x = np.unravel_index(int(np.argmax(inner)), inner.shape)
    return frame[y:y + h, x:x + w].copy()


def paste_crossing(clip: np.ndarray, patch: np.ndarray, start: int, end: int,
                   y_centre: int) -> np.ndarray:
    """Paste ``patch`` moving left to right at row ``y_centre`` over frames
    ``start..end-1``; returns the labels (1 where any of it is visible)."""
    labels = np.zeros(len(clip), np.uint8)
    height, width = clip.shape[1:3]
    ph, pw = patch.shape[:2]
    top = int(np.clip(y_centre - ph // 2, 0, height - ph))
    for i, index in enumerate(range(start, end)):
        left = int(round(-pw + (width + pw) * (i + 0.5) / (end - start)))
        x0, x1 = max(left, 0), min(left + pw, width)
        if x1 <= x0:
            continue
        clip[index, top:top + ph, x0:x1] = patch[:, x0 - left:x1 - left]
        labels[index] = 1
    return labels


def build(args) -> dict:
    rng = np.random.default_rng(args.seed)
    video = read_video(osp.join(args.video_dir, 'vtest.avi'))
    height, width = video.shape[1:3]
    n_train = args.train_clips * args.train_len
    speed_src = args.test_len // 3 * args.speedup  # 1/3 of clip 02 is fast
    needed = n_train + 2 * args.test_len + (args.test_len - args.test_len //
                                            3) + speed_src
    if len(video) < needed:
        sys.exit(f'vtest.avi has {len(video)} frames; these settings need '
                 f'{needed}')
    train = [video[i * args.train_len:(i + 1) * args.train_len]
             for i in range(args.train_clips)]
    pos = n_train
    test, labels = [], []
    # 01: a person-sized patch from another real video crossing in 1/3 of
    # the clip (about 8x a pedestrian's speed)
    clip = video[pos:pos + args.test_len].copy()
    pos += args.test_len
    person = cut_patch(read_video(osp.join(args.video_dir, 'Megamind.avi')),
                       (width // 16, height // 5), rng)
    third = args.test_len // 3
    labels.append(paste_crossing(clip, person, third, 2 * third,
                                 int(height * 0.38)))
    test.append(clip)
    # 02: the middle third played `speedup` times faster
    normal = args.test_len - third
    head, tail = normal // 2, normal - normal // 2
    fast = video[pos + head:pos + head + speed_src:args.speedup]
    clip = np.concatenate([
        video[pos:pos + head], fast,
        video[pos + head + speed_src:pos + head + speed_src + tail]
    ])
    pos += head + speed_src + tail
    labels.append(np.r_[np.zeros(head), np.ones(len(fast)),
                        np.zeros(tail)].astype(np.uint8))
    test.append(clip)
    # 03: a vehicle-sized patch crossing the lawn, where the footage shows
    # no one walking
    clip = video[pos:pos + args.test_len].copy()
    vehicle = cut_patch(read_video(osp.join(args.video_dir, 'tree.avi')),
                        (width // 5, height // 7), rng)
    labels.append(paste_crossing(clip, vehicle, third, 2 * third,
                                 int(height * 0.8)))
    test.append(clip)
    return dict(train=train, test=test, labels=labels)


def write(args, data: dict) -> None:
    if osp.exists(args.out) and not args.force:
        sys.exit(f'{args.out} exists; use --force to replace it')
    tmp = args.out.rstrip('/') + '.tmp'
    shutil.rmtree(tmp, ignore_errors=True)
    for split, clips in (('training', data['train']), ('testing',
                                                       data['test'])):
        for v, clip in enumerate(clips, start=1):
            folder = osp.join(tmp, split, 'frames', f'{v:02d}')
            os.makedirs(folder)
            for i, frame in enumerate(clip):
                cv2.imwrite(osp.join(folder, f'{i:03d}.jpg'), frame,
                            [cv2.IMWRITE_JPEG_QUALITY, 95])
    labels = np.concatenate(data['labels'])
    np.save(osp.join(tmp, f'frame_labels_{args.name}.npy'), labels[None])
    info = dict(
        source='opencv-doc examples/data: vtest.avi, objects from '
        'Megamind.avi and tree.avi',
        train_clips=[len(c) for c in data['train']],
        test_clips=[len(c) for c in data['test']],
        anomalous_frames=[int(lab.sum()) for lab in data['labels']],
        args=vars(args))
    with open(osp.join(tmp, 'README.json'), 'w') as f:
        json.dump(info, f, indent=1)
    if osp.exists(args.out):
        shutil.rmtree(args.out)
    os.rename(tmp, args.out)
    print(json.dumps({k: info[k] for k in info if k != 'args'}))


def main():
    args = parse_args()
    write(args, build(args))


if __name__ == '__main__':
    main()
