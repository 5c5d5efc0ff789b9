from .ddl_reconstructor import DDLReconstructor
from .deployed_reconstructor import DeployedReconstructor
from .inference_backbone import InferenceBackbone

__all__ = ['DDLReconstructor', 'DeployedReconstructor', 'InferenceBackbone']
