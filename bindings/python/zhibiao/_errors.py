"""Exceptions raised by the zhibiao binding, one class per zb_status."""

from typing import Optional

__all__ = [
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
    "STATUS_NAMES",
    "error_class",
]

# zb_status values (include/zhibiao/zhibiao.h).
ZB_OK = 0
ZB_INVALID_ARGUMENT = 1
ZB_PARSE = 2
ZB_LOAD = 3
ZB_OVERFLOW = 4
ZB_UNIT = 5
ZB_STATE = 6
ZB_NOT_FOUND = 7
ZB_LIMIT = 8
ZB_IO = 9
ZB_RULE = 10
ZB_BUFFER_TOO_SMALL = 11
ZB_INTERNAL = 99

STATUS_NAMES = {
    ZB_OK: "ZB_OK",
    ZB_INVALID_ARGUMENT: "ZB_INVALID_ARGUMENT",
    ZB_PARSE: "ZB_PARSE",
    ZB_LOAD: "ZB_LOAD",
    ZB_OVERFLOW: "ZB_OVERFLOW",
    ZB_UNIT: "ZB_UNIT",
    ZB_STATE: "ZB_STATE",
    ZB_NOT_FOUND: "ZB_NOT_FOUND",
    ZB_LIMIT: "ZB_LIMIT",
    ZB_IO: "ZB_IO",
    ZB_RULE: "ZB_RULE",
    ZB_BUFFER_TOO_SMALL: "ZB_BUFFER_TOO_SMALL",
    ZB_INTERNAL: "ZB_INTERNAL",
}


class ZhibiaoError(Exception):
    """Base class of every error reported by zhibiao.

    Attributes:
        code: the zb_status number (e.g. 3 for ZB_LOAD).
        status: its name ("ZB_LOAD").
        message: the C library's message (also ``str(err)``).
        function: the zb_ function that failed, when known.
        file, line, column: where a load error happened (``None``/0 when unknown); ``column`` is the
            1-based CSV field number — or, for a DataFrame given to ``load_observations``, the column's name.
        row: for a DataFrame given to ``load_observations``, the index label of the row at fault (else None).
    """

    default_code = None  # type: Optional[int]
    row = None  # type: object

    def __init__(self, message: str, code: Optional[int] = None, function: Optional[str] = None,
                 file: Optional[str] = None, line: int = 0, column: int = 0):
        super().__init__(message)
        self.message = message
        self.code = self.default_code if code is None else code
        self.function = function
        self.file = file
        self.line = line
        self.column = column

    @property
    def status(self) -> str:
        return STATUS_NAMES.get(self.code, "zb_status {}".format(self.code))

    def __str__(self) -> str:
        return self.message


class InvalidArgumentError(ZhibiaoError, ValueError):
    """ZB_INVALID_ARGUMENT: a NULL/closed handle, an unknown code, a bad option or value."""
    default_code = ZB_INVALID_ARGUMENT


class ParseError(ZhibiaoError, ValueError):
    """ZB_PARSE: text that is not a number, period, unit, rule or template."""
    default_code = ZB_PARSE


class LoadError(ZhibiaoError):
    """ZB_LOAD: a bad input file or text; ``file``, ``line`` and ``column`` say where."""
    default_code = ZB_LOAD


class ZhibiaoOverflowError(ZhibiaoError, OverflowError):
    """ZB_OVERFLOW: an exact value does not fit (zhibiao never wraps)."""
    default_code = ZB_OVERFLOW


class UnitError(ZhibiaoError, ValueError):
    """ZB_UNIT: a conversion across dimensions."""
    default_code = ZB_UNIT


class StateError(ZhibiaoError):
    """ZB_STATE: an operation in the wrong order, e.g. a query before rollup()."""
    default_code = ZB_STATE


class NotFoundError(ZhibiaoError, LookupError):
    """ZB_NOT_FOUND: an unknown region, indicator or scope."""
    default_code = ZB_NOT_FOUND


class LimitError(ZhibiaoError):
    """ZB_LIMIT: a resource limit protecting against hostile input (or out of memory)."""
    default_code = ZB_LIMIT


class ZhibiaoIOError(ZhibiaoError, OSError):
    """ZB_IO: a file that cannot be read or written."""
    default_code = ZB_IO


class RuleError(ZhibiaoError):
    """ZB_RULE: a bad rule or target definition."""
    default_code = ZB_RULE


class BufferTooSmallError(ZhibiaoError):
    """ZB_BUFFER_TOO_SMALL: a caller buffer was too small (handled inside the binding)."""
    default_code = ZB_BUFFER_TOO_SMALL


class InternalError(ZhibiaoError):
    """ZB_INTERNAL: a bug in zhibiao."""
    default_code = ZB_INTERNAL


_BY_CODE = {
    ZB_INVALID_ARGUMENT: InvalidArgumentError,
    ZB_PARSE: ParseError,
    ZB_LOAD: LoadError,
    ZB_OVERFLOW: ZhibiaoOverflowError,
    ZB_UNIT: UnitError,
    ZB_STATE: StateError,
    ZB_NOT_FOUND: NotFoundError,
    ZB_LIMIT: LimitError,
    ZB_IO: ZhibiaoIOError,
    ZB_RULE: RuleError,
    ZB_BUFFER_TOO_SMALL: BufferTooSmallError,
    ZB_INTERNAL: InternalError,
}


def error_class(code: int) -> type:
    """The exception class for a zb_status (ZhibiaoError for an unknown one)."""
    return _BY_CODE.get(code, ZhibiaoError)
