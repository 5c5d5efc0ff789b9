from .distinction_loss import DistinctionLoss
from .reconstruction_loss import ReconstructionLoss

__all__ = ['DistinctionLoss', 'ReconstructionLoss']
