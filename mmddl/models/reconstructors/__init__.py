from .ddl_reconstructor import DDLReconstructor

__all__ = ['DDLReconstructor']
