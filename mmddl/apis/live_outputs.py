"""Files of a live run, written as it goes: scores CSV and events JSON
lines, flushed row by row, so a run that is stopped or killed leaves every
completed row; the score-curve PNG (with the alerts shaded) at the end.

File names carry the run's start time (``camera0_20261202_101500_...``), so
a new run never overwrites an earlier one.

Example:
    >>> # outputs = LiveOutputs('vis/', 'camera0')
    >>> # score_live(..., on_row=outputs.row, on_event=outputs.event)
    >>> # outputs.close(threshold=0.08)
"""
import csv
import json
import os
import os.path as osp
import time
from collections import deque
from typing import Dict, Optional

import numpy as np

from mmddl.visualization import save_score_curve, video_file_stem
from mmddl.visualization.heatmap_video import heatmap_panel
from mmddl.visualization.png_writer import write_png_image
from .alerts import AlertEvent
from .live_scoring import LiveRow

#: columns of a live scores CSV (the offline CSV has the first three)
LIVE_CSV_HEADER = ('frame_index', 'score_raw', 'score_smoothed', 'time',
                   'segment', 'alert')


class LiveOutputs:
    """Writes one live run's files into ``out_dir``.

    Args:
        out_dir (str): Output folder (created if missing).
        name (str): Source name for the files (made file-name safe).
        plot_rows (int): Most recent rows kept for the final plot. Defaults
            to 100000 (about an hour at 25 fps).
    """

    def __init__(self, out_dir: str, name: str, plot_rows: int = 100000):
        os.makedirs(out_dir, exist_ok=True)
        stem = video_file_stem(name) + time.strftime('_%Y%m%d_%H%M%S')
        self.paths: Dict[str, str] = dict(
            csv=osp.join(out_dir, stem + '_scores.csv'),
            events=osp.join(out_dir, stem + '_events.jsonl'),
            png=osp.join(out_dir, stem + '_scores.png'))
        self.name = name
        self._stem, self._out_dir = stem, out_dir
        self._csv_file = open(self.paths['csv'], 'w', newline='')
        self._csv = csv.writer(self._csv_file)
        self._csv.writerow(LIVE_CSV_HEADER)
        self._csv_file.flush()
        self._events_file = open(self.paths['events'], 'w')
        self._rows = deque(maxlen=int(plot_rows))
        self._events = []

    def row(self, row: LiveRow) -> None:
        """Append one scored frame (flushed at once)."""
        self._csv.writerow([
            row.index, f'{row.score_raw:.9g}', f'{row.score_smoothed:.9g}',
            f'{row.time:.3f}', row.segment, int(row.alert)
        ])
        self._csv_file.flush()
        self._rows.append((row.index, row.score_raw, row.score_smoothed))

    def event(self, event: AlertEvent) -> None:
        """Append one closed event as a JSON line (flushed and synced);
        with the event's snapshot, its peak frame beside its error heat map
        as ``<stem>_alert<k>.png``."""
        record = event.as_dict()
        if event.snapshot is not None:
            name = f'{self._stem}_alert{len(self._events) + 1}.png'
            panel = heatmap_panel(
                event.snapshot['frame'], event.snapshot['error_map'],
                vmax=float(max(event.snapshot['error_map'].max(), 1e-8)),
                factor=max(1, 256 // event.snapshot['frame'].shape[0]),
                caption=f'frame {event.peak_frame}  peak '
                f'{event.peak_score:.4g}')
            write_png_image(panel, osp.join(self._out_dir, name))
            record['snapshot'] = name
        self._events_file.write(json.dumps(record) + '\n')
        self._events_file.flush()
        os.fsync(self._events_file.fileno())
        self._events.append((event.start_frame, event.end_frame))

    def close(self, threshold: Optional[float] = None,
              title: str = '') -> Dict[str, str]:
        """Close the files and draw the score curve; returns the paths."""
        self._csv_file.close()
        self._events_file.close()
        if self._rows:
            index, raw, smoothed = (np.array(c) for c in zip(*self._rows))
            save_score_curve(self.paths['png'], index, raw, smoothed, None,
                             title=title or self.name, events=self._events,
                             threshold=threshold)
        else:
            self.paths.pop('png')
        return dict(self.paths)


def read_scores_csv(path: str) -> Dict[str, np.ndarray]:
    """The columns of a scores CSV of tools/infer_video.py (offline or
    live) as arrays; a clear error for anything else."""
    with open(path, newline='') as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if not header or header[:3] != list(LIVE_CSV_HEADER[:3]):
            raise ValueError(
                f'{path} is not a scores CSV of tools/infer_video.py '
                f'(header {",".join(LIVE_CSV_HEADER[:3])}...)')
        rows = [r for r in reader if r]
    columns = {}
    for i, key in enumerate(header):
        try:
            values = [float(r[i]) for r in rows]
        except (IndexError, ValueError) as err:
            raise ValueError(f'{path}: bad value in column {key} '
                             f'({err})') from None
        kind = np.int64 if key in ('frame_index', 'segment',
                                   'alert') else np.float64
        columns[key] = np.array(values, dtype=kind)
    return columns
