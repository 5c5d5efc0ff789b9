from .error_heatmap import overlay_heatmap, save_heatmap_strip
from .heatmap_video import heatmap_panel, write_heatmap_video
from .png_writer import new_figure, write_png_figure, write_png_image
from .score_curve import (anomalous_runs, draw_score_curve, save_score_curve,
                          save_video_score_curve, video_file_stem)

__all__ = [
    'overlay_heatmap', 'save_heatmap_strip', 'heatmap_panel',
    'write_heatmap_video', 'new_figure', 'write_png_figure',
    'write_png_image', 'anomalous_runs', 'draw_score_curve',
    'save_score_curve', 'save_video_score_curve', 'video_file_stem'
]
