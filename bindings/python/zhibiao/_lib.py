"""Finding, loading and declaring the zhibiao shared library (the C ABI of include/zhibiao/zhibiao.h).

Everything that touches ctypes prototypes lives here:

* ``find_library()`` — ``$ZHIBIAO_LIBRARY`` (a file path), else a library copied next to this package,
  else the source tree's build directory (``<repo>/build``);
* ``_PROTOTYPES`` — ONE table of ``(name, argtypes, restype)`` for every ``zb_`` function in the header,
  applied at load; a missing symbol is an ``ImportError`` naming the symbol and the library;
* the errcheck that turns a non-zero ``zb_status`` into a typed exception carrying the C message and,
  for load errors, the file/line/column from ``zb_last_error_location``;
* the text argtypes ``Text``, ``OptionalText`` and ``Path`` — the only places text goes into the library
  (their ``from_param`` encodes), and ``decode`` for text coming out;
* ``take_string`` — copies a ``char*`` that zhibiao allocated and frees it with ``zb_free``.

The library is loaded once, when the package is imported; ``__version__`` is its ``zb_version()``.
"""

import ctypes
import glob
import os
import sys
import threading
from ctypes import POINTER, Structure, c_char, c_char_p, c_int, c_int32, c_int64, c_size_t, c_uint8, c_void_p
from typing import Any, List, Optional

from . import _errors

__all__ = [
    "lib",
    "library_path",
    "find_library",
    "candidates",
    "Text",
    "OptionalText",
    "Path",
    "encode_text",
    "decode",
    "take_string",
    "take_bytes",
    "zb_model",
    "zb_findings",
    "zb_value",
    "zb_finding",
]

ENV_VAR = "ZHIBIAO_LIBRARY"

#: The C ABI version (ZB_ABI_VERSION in zhibiao.h) this package was written against.
ABI_VERSION = 3

# ---- C types -----------------------------------------------------------------------------------


class _zb_model_s(Structure):
    """Opaque struct zb_model_s."""


class _zb_findings_s(Structure):
    """Opaque struct zb_findings_s."""


#: typedef struct zb_model_s* zb_model — a distinct pointer type, so a findings handle cannot be passed.
zb_model = POINTER(_zb_model_s)
#: typedef struct zb_findings_s* zb_findings
zb_findings = POINTER(_zb_findings_s)


class zb_status(c_int):
    """zb_status, a C enum (int-sized). A distinct type so the table can tell which functions get the status
    errcheck; such functions return a plain int (always ZB_OK, since anything else raises)."""


class zb_value(Structure):
    _fields_ = [
        ("has_value", c_int32),
        ("scale", c_int32),
        ("scaled", c_int64),
        ("reporting", c_int32),
        ("expected", c_int32),
        ("qualifier", c_int32),
        ("carried", c_int32),
    ]


class zb_finding(Structure):
    # const char* members belong to the zb_findings handle: c_char_p copies them on access, never frees.
    _fields_ = [
        ("check", c_char_p),
        ("subject", c_char_p),
        ("region", c_char_p),
        ("region_name", c_char_p),
        ("period", c_char_p),
        ("severity", c_char_p),
        ("status", c_char_p),
        ("actual", c_char_p),
        ("expected", c_char_p),
        ("message", c_char_p),
        ("completion", c_char_p),
        ("progress", c_char_p),
        ("projected", c_char_p),
    ]


# ---- text arguments ----------------------------------------------------------------------------
#
# ctypes calls an argtype's from_param for every argument; what it raises reaches the caller only as a
# ctypes.ArgumentError with the original type lost. The converters therefore park the original
# exception here, and _Function re-raises it, so a None region is still a TypeError and an embedded NUL
# still a ValueError.
_pending = threading.local()


def _refuse(error: Exception) -> Exception:
    _pending.error = error
    return error


def _utf8(value: Any) -> bytes:
    if isinstance(value, str):
        data = value.encode("utf-8")
    elif isinstance(value, (bytes, bytearray)):
        data = bytes(value)
    else:
        raise _refuse(TypeError("expected str or bytes for a text argument, not {}".format(type(value).__name__)))
    if b"\0" in data:
        # C would silently stop at the NUL and answer for another code.
        raise _refuse(ValueError("text argument {!r} contains a NUL character".format(value)))
    return data


class Text:
    """argtype of a required ``const char*``: str (encoded as UTF-8) or bytes; None is a TypeError."""

    @classmethod
    def from_param(cls, value: Any) -> bytes:
        """The bytes ctypes passes for ``value``."""
        return _utf8(value)


class OptionalText:
    """argtype of a ``const char*`` that may be NULL: like :class:`Text`, and None passes NULL."""

    @classmethod
    def from_param(cls, value: Any) -> Optional[bytes]:
        """The bytes ctypes passes for ``value`` (None for NULL)."""
        return None if value is None else _utf8(value)


class Path:
    """argtype of a file path: str, bytes or os.PathLike in the file-system encoding; None passes NULL
    (the library then names the missing argument)."""

    @classmethod
    def from_param(cls, value: Any) -> Optional[bytes]:
        """The bytes ctypes passes for ``value``."""
        if value is None:
            return None
        try:
            data = os.fsencode(value)
        except TypeError:
            raise _refuse(TypeError("expected str, bytes or os.PathLike for a path, not {}".format(
                type(value).__name__))) from None
        if b"\0" in data:
            raise _refuse(ValueError("path {!r} contains a NUL character".format(value)))
        return data


class _Function:
    """A declared zb_ function: calls through, turning a refused argument back into its own exception."""

    __slots__ = ("_fn", "__name__")

    def __init__(self, fn: Any) -> None:
        self._fn = fn
        self.__name__ = fn.__name__

    def __call__(self, *args: Any) -> Any:
        _pending.error = None
        try:
            return self._fn(*args)
        except ctypes.ArgumentError:
            error = _pending.error
            _pending.error = None
            if error is None:
                raise
            raise error from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fn, name)


class _Library:
    """The declared functions of the loaded library, as attributes."""


# Out-pointer for library-allocated text: a plain void*, never c_char_p (which would copy and lose the
# pointer, leaking it). See take_string().
_alloc_out = POINTER(c_void_p)
_bytes = c_char_p  # a (pointer, length) text argument: bytes from encode_text(), NULs allowed
_buf = POINTER(c_char)  # caller-provided char buffer
_text = Text
_opt = OptionalText

#: Every function of zhibiao.h: (name, argtypes, restype). restype zb_status gets the status errcheck.
_PROTOTYPES = [
    # library
    ("zb_version", [], c_char_p),  # owned by zhibiao: c_char_p copies, nothing to free
    ("zb_abi_version", [], c_int32),
    ("zb_last_error", [], c_char_p),  # owned by zhibiao (thread-local)
    ("zb_last_error_code", [], c_int),  # returns a zb_status, but as a plain int: reading it must never raise
    ("zb_last_error_location", [POINTER(c_char_p), POINTER(c_size_t), POINTER(c_size_t)], None),
    ("zb_free", [c_void_p], None),
    ("zb_period_parse", [_text, POINTER(c_int32), POINTER(c_int32), POINTER(c_int32)], zb_status),
    ("zb_period_parse_span", [_text, POINTER(c_int32), POINTER(c_int32), POINTER(c_int32), POINTER(c_int32)], zb_status),
    # model lifetime
    ("zb_model_create", [POINTER(zb_model)], zb_status),
    ("zb_model_destroy", [POINTER(zb_model)], None),
    # loading
    ("zb_model_load_regions", [zb_model, Path], zb_status),
    ("zb_model_load_regions_text", [zb_model, _bytes, c_size_t, _opt], zb_status),
    ("zb_model_load_indicators", [zb_model, Path], zb_status),
    ("zb_model_load_indicators_text", [zb_model, _bytes, c_size_t, _opt], zb_status),
    ("zb_model_load_scopes", [zb_model, Path], zb_status),
    ("zb_model_load_scopes_text", [zb_model, _bytes, c_size_t, _opt], zb_status),
    ("zb_model_load_observations", [zb_model, Path], zb_status),
    ("zb_model_load_observations_text", [zb_model, _bytes, c_size_t, _opt], zb_status),
    ("zb_model_load_targets", [zb_model, Path], zb_status),
    ("zb_model_load_targets_text", [zb_model, _bytes, c_size_t, _opt], zb_status),
    ("zb_model_load_rules", [zb_model, Path], zb_status),
    ("zb_model_load_rules_text", [zb_model, _bytes, c_size_t, _opt], zb_status),
    ("zb_model_load_workbook", [zb_model, Path, _opt, _opt, _opt, _opt], zb_status),
    ("zb_model_revise", [zb_model, Path, _opt, _opt, _opt, _opt, _opt, POINTER(c_size_t)], zb_status),
    # ids and revisions
    ("zb_model_region_id", [zb_model, _text, POINTER(c_int32)], zb_status),
    ("zb_model_indicator_id", [zb_model, _text, POINTER(c_int32)], zb_status),
    ("zb_model_size", [zb_model, POINTER(c_size_t), POINTER(c_size_t)], zb_status),
    ("zb_model_region_code", [zb_model, c_int32, _buf, c_size_t, POINTER(c_size_t)], zb_status),
    ("zb_model_indicator", [zb_model, c_int32, _buf, c_size_t, POINTER(c_size_t), POINTER(c_int32), POINTER(c_int32)],
     zb_status),
    ("zb_model_indicator_unit", [zb_model, c_int32, _buf, c_size_t, POINTER(c_size_t)], zb_status),
    ("zb_model_years", [zb_model, c_size_t, POINTER(c_int32), POINTER(c_size_t)], zb_status),
    ("zb_model_regions_at", [zb_model, c_int32, c_int32, c_size_t, POINTER(c_int32), POINTER(c_int32),
                             POINTER(c_size_t)], zb_status),
    ("zb_model_load_values", [zb_model, c_size_t, POINTER(c_int32), POINTER(c_int32), POINTER(c_char_p),
                              POINTER(c_int64), c_int32, POINTER(c_int32), POINTER(c_size_t), POINTER(c_int32)],
     zb_status),
    ("zb_model_set_values", [zb_model, c_size_t, POINTER(c_int32), POINTER(c_int32), POINTER(c_int32),
                             POINTER(c_int32), POINTER(c_int64), c_int32], zb_status),
    ("zb_model_set_value", [zb_model, _text, _text, _text, _text], zb_status),
    ("zb_model_clear_value", [zb_model, _text, _text, _text], zb_status),
    # roll-up and queries
    ("zb_model_rollup", [zb_model], zb_status),
    ("zb_model_value", [zb_model, _text, _text, _text, POINTER(zb_value), _buf, c_size_t, POINTER(c_size_t)],
     zb_status),
    ("zb_model_slice", [zb_model, _text, _text, _text, c_size_t, POINTER(c_int32), POINTER(zb_value),
                        POINTER(c_size_t)], zb_status),
    ("zb_model_rollup_month", [zb_model, _text, c_int32, c_int32, c_size_t, POINTER(zb_value), POINTER(zb_value),
                               POINTER(c_size_t)], zb_status),
    ("zb_model_export_partial", [zb_model, _text, c_int32, c_size_t, POINTER(c_int64), POINTER(c_int64),
                                 POINTER(c_int32), POINTER(c_uint8), POINTER(c_int32), POINTER(c_size_t)], zb_status),
    ("zb_model_load_partial", [zb_model, _text, c_int32, _text, c_size_t, POINTER(c_int64), POINTER(c_int64),
                               POINTER(c_int32), POINTER(c_uint8), POINTER(c_int32)], zb_status),
    ("zb_model_explain", [zb_model, _text, _text, _text, _alloc_out], zb_status),
    ("zb_model_rollup_csv", [zb_model, _alloc_out], zb_status),
    ("zb_model_revisions_csv", [zb_model, _alloc_out], zb_status),
    ("zb_model_write_rollup", [zb_model, Path], zb_status),
    # checks
    ("zb_model_check", [zb_model, _opt, c_int32, POINTER(zb_findings)], zb_status),
    ("zb_findings_count", [zb_findings, POINTER(c_size_t)], zb_status),
    ("zb_findings_get", [zb_findings, c_size_t, POINTER(zb_finding)], zb_status),
    ("zb_findings_destroy", [POINTER(zb_findings)], None),
    # reports
    ("zb_model_report", [zb_model, _bytes, c_size_t, _text, _text, _alloc_out, _alloc_out], zb_status),
    ("zb_model_table_csv", [zb_model, _text, _text, _opt, _opt, c_int32, _alloc_out], zb_status),
    ("zb_model_write_table", [zb_model, _text, _text, _opt, _opt, _opt, Path], zb_status),
    # charts and the HTML report
    ("zb_model_chart", [zb_model, _text, _text, _text, _text, _alloc_out], zb_status),
    ("zb_model_report_html", [zb_model, _bytes, c_size_t, _text, _text, _alloc_out, _alloc_out], zb_status),
    # rule tests
    ("zb_test_run", [Path, Path, POINTER(c_int32), POINTER(c_int32), _alloc_out], zb_status),
    ("zb_test_run_case", [Path, Path, POINTER(c_int32), _alloc_out], zb_status),
]

# ---- text --------------------------------------------------------------------------------------


def encode_text(value: Any, what: str = "text") -> bytes:
    """str -> UTF-8 bytes for a (pointer, length) text argument; NULs are allowed (the length is passed)."""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    raise TypeError("{} must be str or bytes, not {}".format(what, type(value).__name__))


def decode(data: Optional[bytes], errors: str = "strict") -> Optional[str]:
    """UTF-8 bytes from zhibiao -> str (None stays None)."""
    if data is None:
        return None
    return data.decode("utf-8", errors)


def take_bytes(ptr: c_void_p) -> Optional[bytes]:
    """Copies a zhibiao-allocated NUL-terminated string out of ``ptr`` as bytes and frees it with zb_free."""
    address = ptr.value
    if not address:
        return None
    try:
        return ctypes.string_at(address)
    finally:
        lib.zb_free(address)
        ptr.value = None


def take_string(ptr: c_void_p) -> Optional[str]:
    """Copies a zhibiao-allocated NUL-terminated string out of ``ptr`` and frees it with zb_free."""
    data = take_bytes(ptr)
    return None if data is None else decode(data)


# ---- errors ------------------------------------------------------------------------------------


def last_error(code: int, function: Optional[str] = None) -> _errors.ZhibiaoError:
    """The exception for the calling thread's last error (call right after the failing function)."""
    message = decode(lib.zb_last_error(), "replace") or ""
    file_ptr = c_char_p()
    line = c_size_t(0)
    column = c_size_t(0)
    lib.zb_last_error_location(ctypes.byref(file_ptr), ctypes.byref(line), ctypes.byref(column))
    file = decode(file_ptr.value, "replace")
    if not message:
        message = "{} failed with {}".format(function or "zhibiao", _errors.STATUS_NAMES.get(code, code))
    cls = _errors.error_class(code)
    return cls(message, code=code, function=function, file=file, line=line.value, column=column.value)


def _check_status(result, func, args):
    """errcheck of every zb_status function: ZB_OK passes, anything else raises a typed ZhibiaoError."""
    code = result.value if isinstance(result, c_int) else int(result)
    if code != _errors.ZB_OK:
        raise last_error(code, getattr(func, "__name__", None))
    return code


# ---- finding and loading -----------------------------------------------------------------------

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
# bindings/python/zhibiao -> bindings/python -> ../../build
_BUILD_DIR = os.path.normpath(os.path.join(_PACKAGE_DIR, os.pardir, os.pardir, os.pardir, "build"))

if sys.platform == "win32":
    _NAMES = ["zhibiao.dll", "libzhibiao.dll"]
    _PATTERNS = []  # type: List[str]
elif sys.platform == "darwin":
    _NAMES = ["libzhibiao.dylib"]
    _PATTERNS = ["libzhibiao.*.dylib"]
else:
    _NAMES = ["libzhibiao.so"]
    _PATTERNS = ["libzhibiao.so.*"]


def _in_directory(directory: str) -> List[str]:
    found = [os.path.join(directory, n) for n in _NAMES]
    for pattern in _PATTERNS:
        # libzhibiao.so.X.Y.Z before libzhibiao.so.X: either is the same real file
        found.extend(sorted(glob.glob(os.path.join(glob.escape(directory), pattern)), reverse=True))
    return found


def candidates() -> List[str]:
    """Where the library is looked for, in order (the env var, when set, is the only candidate)."""
    env = os.environ.get(ENV_VAR)
    if env:
        return [env]
    return _in_directory(_PACKAGE_DIR) + _in_directory(_BUILD_DIR)


def find_library() -> str:
    """The path of the shared library to load; ImportError when there is none."""
    env = os.environ.get(ENV_VAR)
    if env:
        if not os.path.isfile(env):
            raise ImportError("{}={!r} does not name a file".format(ENV_VAR, env))
        return os.path.abspath(env)
    for path in candidates():
        if os.path.isfile(path):
            return path
    raise ImportError(
        "cannot find the zhibiao shared library; set {}=/path/to/libzhibiao.so or copy the library into {} "
        "(looked in: {})".format(ENV_VAR, _PACKAGE_DIR, ", ".join(candidates()) or "nowhere"))


def _declare(cdll: ctypes.CDLL, path: str) -> _Library:
    functions = _Library()
    for name, argtypes, restype in _PROTOTYPES:
        try:
            fn = getattr(cdll, name)
        except AttributeError:
            raise ImportError("the zhibiao library {} has no symbol {} (built from another version?)".format(
                path, name)) from None
        fn.argtypes = argtypes
        fn.restype = restype
        if restype is zb_status:
            fn.errcheck = _check_status
        setattr(functions, name, _Function(fn))
    return functions


def _load() -> "tuple":
    path = find_library()
    try:
        cdll = ctypes.CDLL(path)
    except OSError as e:
        raise ImportError("cannot load the zhibiao library {}: {}".format(path, e)) from e
    # The version functions first, so an ABI mismatch is reported before a missing symbol.
    for name, restype in (("zb_version", c_char_p), ("zb_abi_version", c_int32)):
        fn = getattr(cdll, name, None)
        if fn is None:
            raise ImportError("{} is not a zhibiao library (no {})".format(path, name))
        fn.argtypes = []
        fn.restype = restype
    # The package and the library are versioned together (one number, in CMakeLists.txt); what must
    # match for the prototypes below to be right is the ABI.
    abi = cdll.zb_abi_version()
    if abi != ABI_VERSION:
        raise ImportError("the zhibiao library {} has ABI version {}, but the Python package needs {}".format(
            path, abi, ABI_VERSION))
    return _declare(cdll, path), path, decode(cdll.zb_version(), "replace")


lib, _path, version = _load()


def library_path() -> str:
    """The file the zhibiao shared library was loaded from."""
    return _path
