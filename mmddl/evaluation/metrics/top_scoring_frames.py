"""Bounded memory for heat maps: keep material only for top-scoring frames.

``mmddl.engine.hooks.VADVisualizationHook`` sees every test frame, but
only a few per video end up in the heat-map strips. :class:`TopScoringFrames`
keeps, per video, a min-heap of the ``capacity`` highest scores seen so far;
a result that enters the heap gets a ``heatmap`` entry (built lazily, so
frames that never enter cost nothing) and a result pushed out loses it.
Memory is thus bounded by videos x capacity x one small downsampled frame
and error map, whatever the number of test frames.

Example:
    >>> keeper = TopScoringFrames(capacity=1)
    >>> a = dict(video_id='v', pred_score=0.2)
    >>> b = dict(video_id='v', pred_score=0.9)
    >>> keeper.offer(a, lambda: 'A'); keeper.offer(b, lambda: 'B')
    >>> 'heatmap' in a, b['heatmap']
    (False, 'B')
"""
import heapq
import itertools
from typing import Any, Callable, Dict, List, Tuple


class TopScoringFrames:
    """Per-video top-``capacity`` keeper of heat-map material.

    Args:
        capacity (int): Results kept per video.
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f'capacity must be >= 1, got {capacity}')
        self.capacity = capacity
        self._heaps: Dict[str, List[Tuple[float, int, dict]]] = {}
        # Unique tie-breaker so that heap entries never compare the dicts.
        self._counter = itertools.count()

    def offer(self, result: dict, make_heatmap: Callable[[], Any]) -> None:
        """Attach ``make_heatmap()`` to ``result`` if it is among the
        video's top scores so far, and drop it from the result it displaces.

        Args:
            result (dict): Has ``video_id`` and ``pred_score``.
            make_heatmap (Callable[[], Any]): Builds the material to keep.
        """
        heap = self._heaps.setdefault(result['video_id'], [])
        item = (float(result['pred_score']), next(self._counter), result)
        if len(heap) < self.capacity:
            result['heatmap'] = make_heatmap()
            heapq.heappush(heap, item)
        elif item[0] > heap[0][0]:
            result['heatmap'] = make_heatmap()
            _, _, displaced = heapq.heapreplace(heap, item)
            displaced.pop('heatmap', None)

    def clear(self) -> None:
        """Forget the heaps (the results keep what they hold)."""
        self._heaps.clear()
