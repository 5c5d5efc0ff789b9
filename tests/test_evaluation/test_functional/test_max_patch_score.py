"""max_patch_score against a plain-loop reference and a hand-made case."""
import numpy as np
import pytest
import torch

from mmddl.evaluation.functional import (max_patch_score,
                                         reconstruction_error_map)


def loop_reference(error_map: np.ndarray, patch: int, shifted: bool) -> float:
    """Max patch mean over the top-left grid and (optionally) the grid
    shifted by half a patch, whole patches only, with Python loops."""
    height, width = error_map.shape
    half = patch // 2
    grids = [(0, height, width)]
    if shifted and min(height, width) - 2 * half >= patch:
        grids.append((half, height - half, width - half))
    best = -np.inf
    for offset, bottom, right in grids:
        for y in range(offset, bottom - patch + 1, patch):
            for x in range(offset, right - patch + 1, patch):
                best = max(
                    best,
                    float(
                        np.mean(
                            error_map[y:y + patch, x:x + patch],
                            dtype=np.float64)))
    return best


@pytest.mark.parametrize('shifted', [False, True])
@pytest.mark.parametrize('shape,patch', [((32, 32), 16), ((37, 45), 16),
                                         ((20, 29), 8), ((17, 16), 16),
                                         ((23, 31), 5), ((9, 12), 3)])
def test_max_patch_score_equals_loop_reference(shape, patch, shifted):
    rng = np.random.default_rng(sum(shape) + patch)
    maps = rng.random((3, ) + shape).astype(np.float32)
    # A hot spot somewhere, so the maximum is not a near-tie of noise.
    maps[1, shape[0] // 3:shape[0] // 3 + patch, 1:1 + patch] += 2.0
    got = max_patch_score(torch.from_numpy(maps), patch, shifted).numpy()
    want = [loop_reference(m, patch, shifted) for m in maps]
    np.testing.assert_allclose(got, want, rtol=1e-5)


def test_shifted_grid_catches_a_blob_between_grid_cells():
    error = torch.zeros(1, 32, 32)
    error[0, 4:12, 4:12] = 1.0  # straddles four cells of the 8 px grid
    assert max_patch_score(error, 8, shifted_grid=False).item() == 0.25
    assert max_patch_score(error, 8, shifted_grid=True).item() == 1.0


def test_error_map_is_channel_l2_over_sqrt_c():
    frame = torch.zeros(1, 4, 2, 2)
    recon = torch.zeros(1, 4, 2, 2)
    recon[0, :, 0, 0] = 1.0  # L2 over 4 channels = 2, / sqrt(4) = 1
    recon[0, 0, 1, 1] = 3.0  # L2 = 3, / 2 = 1.5
    expected = torch.tensor([[[1.0, 0.0], [0.0, 1.5]]])
    assert torch.allclose(reconstruction_error_map(frame, recon), expected)
