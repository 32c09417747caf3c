"""zhibiao — exact indicator roll-ups and target checks for 人社 bureaus, from Python.

A ctypes binding (standard library only) over the zhibiao C ABI (include/zhibiao/zhibiao.h). The shared
library is found through $ZHIBIAO_LIBRARY (a file path), else a libzhibiao.so copied into this package
directory, else the source tree's build directory; it is loaded once, when this package is imported, and
``__version__`` is its ``zb_version()`` (package and library are built from one source and one version).
"""

from ._errors import (
    BufferTooSmallError,
    InternalError,
    InvalidArgumentError,
    LimitError,
    LoadError,
    NotFoundError,
    ParseError,
    RuleError,
    StateError,
    UnitError,
    ZhibiaoError,
    ZhibiaoIOError,
    ZhibiaoOverflowError,
)
from ._lib import library_path, version as __version__
from ._model import Finding, Model, Partial, Revision, Value

__all__ = [
    "__version__",
    "library_path",
    "Model",
    "Value",
    "Finding",
    "Partial",
    "Revision",
    "ZhibiaoError",
    "InvalidArgumentError",
    "ParseError",
    "LoadError",
    "ZhibiaoOverflowError",
    "UnitError",
    "StateError",
    "NotFoundError",
    "LimitError",
    "ZhibiaoIOError",
    "RuleError",
    "BufferTooSmallError",
    "InternalError",
]
