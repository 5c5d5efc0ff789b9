"""Region- and track-based detection criteria, RBDC and TBDC (Ramachandra
and Jones, WACV 2020, "Street Scene"), written from their definitions.

At a threshold t on the per-pixel error maps:

- the *detected regions* of a frame are the 8-connected components of its
  pixels with error > t. A region's score is the largest error among its
  pixels, so a region exists at t exactly when its score exceeds t and a
  sweep of t from high to low meets the regions in the order of their
  scores;
- the *ground-truth regions* are the 8-connected components of the frame's
  ground-truth mask (or, with :meth:`RegionDetectionAccumulator.add_boxes`,
  the annotated boxes);
- a detected region is a true positive for a ground-truth region when their
  IoU is at least ``beta`` (0.1); one that is a true positive for no
  ground-truth region of its frame is a false positive;
- RBDR = detected ground-truth regions / all ground-truth regions,
  TBDR = ground-truth tracks with at least ``alpha`` (0.1) of their regions
  detected / all tracks, and FPR = false-positive regions / test frames (per
  frame, not a rate over negatives).

RBDC and TBDC are the areas under RBDR and TBDR over FPR in [0, 1]
(:func:`area_up_to_fpr`). :class:`RegionDetectionAccumulator` sweeps a fixed
set of thresholds and adds counts frame by frame, so memory holds a few
counts per threshold and per track, never a thresholded map.

Example:
    >>> import numpy as np
    >>> acc = RegionDetectionAccumulator(thresholds=[0.5])
    >>> gt = np.zeros((4, 4), bool)
    >>> gt[1:3, 1:3] = True
    >>> acc.add(gt * 0.9, gt, video_id='v')  # the object is found
    >>> acc.add(np.eye(4) * 0.9, np.zeros((4, 4), bool), video_id='v')
    >>> acc.curve()['fpr'].tolist()  # one false region in two frames
    [0.5]
    >>> acc.rbdc(), acc.tbdc()  # (0, 0) -> (0.5, 1), flat to FPR 1
    (0.75, 0.75)
"""
import math
from collections import defaultdict
from typing import (Dict, Hashable, Iterable, List, Optional, Sequence,
                    Tuple)

import cv2
import numpy as np

#: IoU a detected region needs with a ground-truth region to detect it
BETA = 0.1
#: share of a track's regions that must be detected for the track to count
ALPHA = 0.1
#: thresholds of a sweep chosen by :func:`sweep_thresholds`
NUM_THRESHOLDS = 128
#: pixels pooled for the pixel-value quantiles of :func:`sweep_thresholds`;
#: a bounded sample keeps the choice cheap on long test sets
_PIXEL_SAMPLE = 1_000_000

Box = Tuple[float, float, float, float]


def downsample_for_regions(
        error_map: np.ndarray, gt_mask: np.ndarray,
        max_side: Optional[int]) -> Tuple[np.ndarray, np.ndarray]:
    """The error map and mask resized so that the long side is at most
    ``max_side`` pixels (kept when smaller, or when ``max_side`` is None).

    The error map is area-averaged (what a coarser error map would measure),
    the mask resized by nearest neighbour (it stays a mask).

    Example:
        >>> err, mask = downsample_for_regions(
        ...     np.ones((8, 16)), np.ones((8, 16), bool), max_side=4)
        >>> err.shape, mask.shape, mask.dtype
        ((2, 4), (2, 4), dtype('bool'))
    """
    error_map, gt_mask = _checked(error_map, gt_mask)
    if max_side is not None and max_side < 1:
        raise ValueError(f'max_side must be >= 1 or None, got {max_side}')
    height, width = error_map.shape
    if max_side is None or max(height, width) <= max_side:
        return error_map, gt_mask
    size = _target_size(error_map.shape, max_side)
    error_map = cv2.resize(error_map, size, interpolation=cv2.INTER_AREA)
    gt_mask = cv2.resize(
        gt_mask.astype(np.uint8), size,
        interpolation=cv2.INTER_NEAREST) > 0
    return error_map, gt_mask


def sweep_thresholds(error_maps: Sequence[np.ndarray],
                     num: int = NUM_THRESHOLDS) -> np.ndarray:
    """Up to ``num`` thresholds for a sweep over these maps, high to low.

    Half are quantiles of the frames' largest errors, from the lowest to
    the highest (where regions appear frame by frame: the low
    false-positive end of the curve), half quantiles of the pooled pixel
    errors below the top one (where regions grow and merge), the latter
    from an evenly strided sample of at most a million pixels. Levels that
    coincide are kept once.

    Example:
        >>> maps = [np.full((2, 2), v) for v in (0.1, 0.2, 0.3)]
        >>> sweep_thresholds(maps, num=4).tolist()
        [0.3, 0.2, 0.1]
    """
    if num < 2:
        raise ValueError(f'num must be >= 2, got {num}')
    if len(error_maps) == 0:
        raise ValueError('error_maps is empty: no frames to sweep')
    maxima = np.array([np.max(m) for m in error_maps], np.float64)
    total = sum(int(np.size(m)) for m in error_maps)
    step = max(1, math.ceil(total / _PIXEL_SAMPLE))
    # the stride runs on across frames so that small maps are sampled too
    pixels, offset = [], 0
    for m in error_maps:
        flat = np.asarray(m).ravel()
        pixels.append(flat[(-offset) % step::step].astype(np.float64))
        offset += flat.size
    # the top pixel level would repeat the largest maximum
    levels = np.linspace(0.0, 1.0, num - num // 2, endpoint=False)
    thresholds = np.concatenate([
        np.quantile(maxima, np.linspace(0.0, 1.0, num // 2)),
        np.quantile(np.concatenate(pixels), levels)
    ])
    return np.unique(thresholds)[::-1]


def area_up_to_fpr(fpr: Sequence[float],
                   rate: Sequence[float],
                   max_fpr: float = 1.0) -> float:
    """Trapezoid area under ``rate`` over ``fpr`` for FPR in [0, max_fpr].

    The points come in sweep order (thresholds high to low). Merging regions
    can lower the false-positive count at a lower threshold, so FPR is
    taken as its running maximum (the curve stays a function of FPR and the
    sum an area); one that starts above FPR 0 is started at (0, 0), where a
    threshold above every error puts it. The curve is cut at ``max_fpr`` by
    linear interpolation;
    one that ends before ``max_fpr`` is extended flat at its last rate (a
    detector that fires no more is credited what it has found, rather than
    cut short). The area is not normalised: with ``max_fpr=1`` it is in
    [0, 1].

    Example:
        >>> area_up_to_fpr([0.0, 0.5, 1.5], [0.0, 0.5, 1.0])  # cut at 0.75
        0.4375
        >>> area_up_to_fpr([0.0, 0.5], [0.0, 1.0])  # flat from 0.5 on
        0.75
    """
    fpr = np.maximum.accumulate(np.asarray(fpr, np.float64))
    rate = np.asarray(rate, np.float64)
    if fpr.shape != rate.shape or fpr.ndim != 1 or fpr.size == 0:
        raise ValueError('fpr and rate must be 1-D of one non-zero length, '
                         f'got shapes {fpr.shape} and {rate.shape}')
    if max_fpr <= 0:
        raise ValueError(f'max_fpr must be > 0, got {max_fpr}')
    if fpr[0] > 0:  # the sweep starts above every error: nothing fires
        fpr, rate = np.r_[0.0, fpr], np.r_[0.0, rate]
    over = np.flatnonzero(fpr > max_fpr)
    if over.size:
        i = over[0]
        share = (max_fpr - fpr[i - 1]) / (fpr[i] - fpr[i - 1])
        cut = rate[i - 1] + share * (rate[i] - rate[i - 1])
        fpr, rate = np.r_[fpr[:i], max_fpr], np.r_[rate[:i], cut]
    elif fpr[-1] < max_fpr:
        fpr, rate = np.r_[fpr, max_fpr], np.r_[rate, rate[-1]]
    return float(np.sum(np.diff(fpr) * (rate[1:] + rate[:-1]) / 2))


class RegionDetectionAccumulator:
    """Streaming RBDC / TBDC counts over a fixed set of thresholds.

    Feed the test frames with :meth:`add` (ground-truth masks) or
    :meth:`add_boxes` (annotated track boxes), each video's frames in
    increasing order; then read :meth:`curve`, :meth:`rbdc` and
    :meth:`tbdc`. Per threshold it keeps the false-positive and detected
    region counts, per track its region count and per-threshold detected
    count, and per video the previous frame's ground-truth labels (for
    linking), at the size the maps are analysed at.

    Tracks from masks: a ground-truth region of frame f + 1 joins the track
    of the region of frame f it shares the most pixels with; one that
    overlaps none, or that follows a skipped frame index, starts a track.
    Two regions overlapping one region of the previous frame (a split) both
    join its track.

    Args:
        thresholds (Sequence[float]): The thresholds to sweep (any order;
            duplicates are dropped), e.g. from :func:`sweep_thresholds`.
        beta (float): IoU for a true positive. Defaults to 0.1.
        alpha (float): Share of a track's regions to detect. Defaults to
            0.1.
        max_side (int, optional): Analyse the maps resized so that the long
            side is at most this many pixels
            (:func:`downsample_for_regions`); None keeps them. Defaults to
            None.

    Example:
        >>> acc = RegionDetectionAccumulator([0.25], max_side=2)
        >>> acc.add(np.eye(4), np.eye(4, dtype=bool), video_id='v')
        >>> acc.rbdc()
        1.0
    """

    def __init__(self,
                 thresholds: Sequence[float],
                 beta: float = BETA,
                 alpha: float = ALPHA,
                 max_side: Optional[int] = None) -> None:
        thresholds = np.unique(np.asarray(thresholds, np.float64))[::-1]
        if thresholds.ndim != 1 or thresholds.size == 0 or \
                not np.isfinite(thresholds).all():
            raise ValueError('thresholds must be a non-empty sequence of '
                             'finite numbers')
        if not 0 < beta <= 1:
            raise ValueError(f'beta must be in (0, 1], got {beta}')
        if not 0 < alpha <= 1:
            raise ValueError(f'alpha must be in (0, 1], got {alpha}')
        if max_side is not None and max_side < 1:
            raise ValueError(f'max_side must be >= 1 or None, got {max_side}')
        self.thresholds = thresholds
        self.beta = float(beta)
        self.alpha = float(alpha)
        self.max_side = max_side
        k = thresholds.size
        self.num_frames = 0
        self.num_regions = 0
        self._false = np.zeros(k, np.int64)
        self._detected = np.zeros(k, np.int64)
        # track key -> [number of regions, detected regions per threshold]
        self._tracks: Dict[Hashable, list] = {}
        # video -> (frame index, gt labels, track key per label)
        self._last: Dict[str, tuple] = {}
        self._linked_tracks: Dict[str, int] = defaultdict(int)

    # ------------------------------------------------------------ feeding
    def add(self,
            error_map: np.ndarray,
            gt_mask: np.ndarray,
            video_id: str = '',
            frame_index: Optional[int] = None) -> None:
        """Count one test frame whose ground truth is a pixel mask.

        Args:
            error_map (np.ndarray): (H, W) per-pixel errors.
            gt_mask (np.ndarray): (H, W) bool, the anomalous pixels (none in
                a normal frame).
            video_id (str): The frame's video, for linking tracks.
            frame_index (int, optional): Its index in the video; a gap
                breaks the tracks. None: the frame follows the video's last
                one.
        """
        error_map, gt_mask = downsample_for_regions(error_map, gt_mask,
                                                    self.max_side)
        count, labels = cv2.connectedComponents(
            gt_mask.astype(np.uint8), connectivity=8)
        flat = labels.ravel()
        order = np.argsort(flat, kind='stable')
        bounds = np.searchsorted(flat[order], np.arange(1, count + 1))
        regions = [order[bounds[j]:bounds[j + 1]] for j in range(count - 1)]
        keys = self._link(str(video_id), frame_index, labels, regions)
        self._count(error_map, regions, keys)

    def add_boxes(self,
                  error_map: np.ndarray,
                  boxes: Iterable[Tuple[Hashable, Box]],
                  video_id: str = '') -> None:
        """Count one test frame annotated with track boxes (Street Scene).

        Args:
            error_map (np.ndarray): (H, W) per-pixel errors.
            boxes (Iterable[tuple]): ``(track_id, (x0, y0, x1, y1))`` per
                ground-truth region, in pixels of ``error_map``, x1 and y1
                exclusive; the same track id in one video is one track.
            video_id (str): The frame's video; track ids are per video.

        Example:
            >>> acc = RegionDetectionAccumulator([0.5])
            >>> err = np.zeros((4, 6))
            >>> err[1:3, 2:5] = 1.0
            >>> acc.add_boxes(err, [(7, (2, 1, 5, 3))], video_id='v')
            >>> acc.tbdc()
            1.0
        """
        error_map = np.asarray(error_map, np.float64)
        if error_map.ndim != 2:
            raise ValueError('error_map must be (H, W), got shape '
                             f'{error_map.shape}')
        height, width = error_map.shape
        scaled, _ = downsample_for_regions(
            error_map, np.zeros(error_map.shape, bool), self.max_side)
        sy, sx = scaled.shape[0] / height, scaled.shape[1] / width
        columns = np.arange(scaled.shape[1])
        regions, keys = [], []
        for track_id, box in boxes:
            x0, y0, x1, y1 = (float(v) for v in box)
            if not (x1 > x0 and y1 > y0):
                raise ValueError(f'boxes: track {track_id!r} has an empty '
                                 f'box {box} (x1, y1 are exclusive)')
            # pixels whose centre lies in the box, at the analysed size
            # (at least one, so that a tiny box stays a region)
            r0, r1 = _span(y0 * sy, y1 * sy, scaled.shape[0])
            c0, c1 = _span(x0 * sx, x1 * sx, scaled.shape[1])
            rows = np.arange(r0, r1)[:, None] * scaled.shape[1]
            regions.append((rows + columns[None, c0:c1]).ravel())
            keys.append((str(video_id), 'box', track_id))
        self._count(scaled, regions, keys)

    # ------------------------------------------------------------ results
    @property
    def num_tracks(self) -> int:
        """Ground-truth tracks seen so far."""
        return len(self._tracks)

    def curve(self) -> Dict[str, np.ndarray]:
        """The sweep: ``thresholds`` (high to low) and ``fpr``, ``rbdr``,
        ``tbdr`` at each (rates NaN without ground-truth regions)."""
        if self.num_frames == 0:
            raise ValueError('RegionDetectionAccumulator got no frames')
        with np.errstate(invalid='ignore', divide='ignore'):
            rbdr = self._detected / self.num_regions
            if self._tracks:
                sizes = np.array([t[0] for t in self._tracks.values()])
                hits = np.stack([t[1] for t in self._tracks.values()])
                # integer test, free of rounding: hits >= alpha * size
                needed = np.ceil(self.alpha * sizes - 1e-9)[:, None]
                tbdr = (hits >= needed).sum(0) / len(sizes)
            else:
                tbdr = np.full(self.thresholds.size, np.nan)
        return dict(
            thresholds=self.thresholds.copy(),
            fpr=self._false / self.num_frames,
            rbdr=np.asarray(rbdr, np.float64),
            tbdr=np.asarray(tbdr, np.float64))

    def rbdc(self) -> float:
        """Area under RBDR over FPR in [0, 1]; NaN without ground truth."""
        curve = self.curve()
        return self._area(curve['fpr'], curve['rbdr'])

    def tbdc(self) -> float:
        """Area under TBDR over FPR in [0, 1]; NaN without ground truth."""
        curve = self.curve()
        return self._area(curve['fpr'], curve['tbdr'])

    @staticmethod
    def _area(fpr: np.ndarray, rate: np.ndarray) -> float:
        if np.isnan(rate).any():
            return float('nan')
        # no threshold fires at +inf: the curve starts at (0, 0)
        return area_up_to_fpr(np.r_[0.0, fpr], np.r_[0.0, rate])

    # ------------------------------------------------------------ counting
    def _link(self, video_id: str, frame_index: Optional[int],
              labels: np.ndarray, regions: List[np.ndarray]) -> list:
        """Track keys of this frame's regions; remembers the frame."""
        last = self._last.get(video_id)
        if frame_index is not None and last is not None and \
                last[0] is not None and frame_index <= last[0]:
            raise ValueError(f'frame_index {frame_index} of video '
                             f'{video_id!r} comes after frame {last[0]}: '
                             'add each video in increasing frame order')
        follows = last is not None and (frame_index is None or last[0] is None
                                        or frame_index == last[0] + 1)
        keys = []
        for pixels in regions:
            key = None
            if follows and last[1].shape == labels.shape:
                overlap = np.bincount(last[1].ravel()[pixels],
                                      minlength=len(last[2]) + 1)[1:]
                if overlap.size and overlap.max() > 0:
                    key = last[2][int(overlap.argmax())]
            if key is None:
                key = (video_id, 'mask', self._linked_tracks[video_id])
                self._linked_tracks[video_id] += 1
            keys.append(key)
        self._last[video_id] = (frame_index, labels, keys)
        return keys

    def _count(self, error_map: np.ndarray, regions: List[np.ndarray],
               keys: list) -> None:
        """Add one frame's false positives and detections per threshold."""
        error_map = np.asarray(error_map, np.float64)
        false, hits = self._frame_counts(error_map, regions)
        self.num_frames += 1
        self.num_regions += len(regions)
        self._false += false
        self._detected += hits.sum(1)
        for j, key in enumerate(keys):
            track = self._tracks.setdefault(
                key, [0, np.zeros(self.thresholds.size, np.int64)])
            track[0] += 1
            track[1] += hits[:, j]

    def _frame_counts(self, error_map: np.ndarray,
                      regions: List[np.ndarray]) -> Tuple[np.ndarray,
                                                          np.ndarray]:
        """False-positive regions (K,) and detected ground truth (K, n)."""
        k, n = self.thresholds.size, len(regions)
        false = np.zeros(k, np.int64)
        hits = np.zeros((k, n), bool)
        gt_area = np.array([r.size for r in regions], np.float64)
        flat_error = error_map.ravel()
        top, bottom = float(flat_error.max()), float(flat_error.min())
        below_all = None  # every threshold under the minimum gives one map
        for i, t in enumerate(self.thresholds):
            if t >= top:  # no pixel exceeds t: no region
                continue
            if t < bottom and below_all is not None:
                false[i], hits[i] = below_all
                continue
            count, labels, stats, _ = cv2.connectedComponentsWithStats(
                (error_map > t).astype(np.uint8), connectivity=8)
            area = stats[1:, cv2.CC_STAT_AREA].astype(np.float64)
            if n:
                flat = labels.ravel()
                inter = np.stack([
                    np.bincount(flat[r], minlength=count)[1:] for r in regions
                ], axis=1).astype(np.float64)
                iou = inter / (area[:, None] + gt_area[None, :] - inter)
                match = iou >= self.beta
                false[i] = int((~match.any(1)).sum())
                hits[i] = match.any(0)
            else:
                false[i] = count - 1
            if t < bottom:
                below_all = (false[i], hits[i].copy())
        return false, hits


def _checked(error_map: np.ndarray,
             gt_mask: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    # float64: thresholds taken from float64 values must compare exactly
    error_map = np.asarray(error_map, np.float64)
    gt_mask = np.asarray(gt_mask).astype(bool)
    if error_map.ndim != 2:
        raise ValueError('error_map must be (H, W), got shape '
                         f'{error_map.shape}')
    if not np.isfinite(error_map).all():
        raise ValueError('error_map has non-finite values')
    if error_map.shape != gt_mask.shape:
        raise ValueError(f'error_map {error_map.shape} and gt_mask '
                         f'{gt_mask.shape} differ in size')
    return error_map, gt_mask


def _target_size(shape: Tuple[int, int], max_side: int) -> Tuple[int, int]:
    """(width, height) for cv2 with the long side at ``max_side``."""
    height, width = shape
    scale = max_side / max(height, width)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _span(low: float, high: float, size: int) -> Tuple[int, int]:
    """Pixels [a, b) whose centres (i + 0.5) lie in [low, high), clipped to
    the image, at least one pixel."""
    start = min(max(0, math.ceil(low - 0.5)), size - 1)
    stop = max(min(size, math.ceil(high - 0.5)), start + 1)
    return start, stop


def boxes_by_frame(
    annotations: Iterable[Tuple[int, Hashable, Box]]
) -> Dict[int, List[Tuple[Hashable, Box]]]:
    """Group ``(frame, track_id, box)`` rows of one video per frame, the
    form :meth:`RegionDetectionAccumulator.add_boxes` takes.

    Example:
        >>> boxes_by_frame([(0, 'a', (0, 0, 2, 2)), (1, 'a', (1, 0, 3, 2))])
        {0: [('a', (0, 0, 2, 2))], 1: [('a', (1, 0, 3, 2))]}
    """
    frames: Dict[int, List[Tuple[Hashable, Box]]] = defaultdict(list)
    for frame, track_id, box in annotations:
        if len(box) != 4:
            raise ValueError(f'annotations: frame {frame} track {track_id!r}'
                             f' has box {box}, expected (x0, y0, x1, y1)')
        frames[int(frame)].append((track_id, tuple(box)))
    return dict(sorted(frames.items()))
