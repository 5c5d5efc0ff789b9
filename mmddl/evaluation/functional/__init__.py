from .frame_scores import max_patch_score, reconstruction_error_map

__all__ = ['max_patch_score', 'reconstruction_error_map']
