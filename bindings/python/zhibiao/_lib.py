"""Finding, loading and declaring the zhibiao shared library (the C ABI of include/zhibiao/zhibiao.h).

Everything that touches ctypes prototypes lives here:

* ``find_library()`` — ``$ZHIBIAO_LIBRARY`` (a file path), else a library copied next to this package,
  else the source tree's build directory (``<repo>/build``);
* ``_PROTOTYPES`` — ONE table of ``(name, argtypes, restype)`` for every ``zb_`` function in the header,
  applied at load; a missing symbol is an ``ImportError`` naming the symbol and the library;
* the errcheck that turns a non-zero ``zb_status`` into a typed exception carrying the C message and,
  for load errors, the file/line/column from ``zb_last_error_location``;
* ``encode``/``decode``/``encode_path`` — the only places text crosses the boundary (UTF-8);
* ``take_string`` — copies a ``char*`` that zhibiao allocated and frees it with ``zb_free``.

The library is loaded once, when the package is imported.
"""

import ctypes
import glob
import os
import sys
from ctypes import POINTER, Structure, c_char, c_char_p, c_int, c_int32, c_int64, c_size_t, c_void_p
from typing import List, Optional, Union

from . import _errors
from ._version import ABI_VERSION, __version__

__all__ = [
    "lib",
    "library_path",
    "find_library",
    "candidates",
    "encode",
    "encode_path",
    "decode",
    "take_string",
    "zb_model",
    "zb_findings",
    "zb_value",
    "zb_finding",
]

ENV_VAR = "ZHIBIAO_LIBRARY"

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


# Out-pointer for library-allocated text: a plain void*, never c_char_p (which would copy and lose the
# pointer, leaking it). See take_string().
_alloc_out = POINTER(c_void_p)
_text = c_char_p  # const char* input (bytes produced by encode())
_buf = POINTER(c_char)  # caller-provided char buffer

#: Every function of zhibiao.h: (name, argtypes, restype). restype zb_status gets the status errcheck.
_PROTOTYPES = [
    # library
    ("zb_version", [], c_char_p),  # owned by zhibiao: c_char_p copies, nothing to free
    ("zb_abi_version", [], c_int32),
    ("zb_last_error", [], c_char_p),  # owned by zhibiao (thread-local)
    ("zb_last_error_code", [], c_int),  # returns a zb_status, but as a plain int: reading it must never raise
    ("zb_last_error_location", [POINTER(c_char_p), POINTER(c_size_t), POINTER(c_size_t)], None),
    ("zb_free", [c_void_p], None),
    # model lifetime
    ("zb_model_create", [POINTER(zb_model)], zb_status),
    ("zb_model_destroy", [POINTER(zb_model)], None),
    # loading
    ("zb_model_load_regions", [zb_model, _text], zb_status),
    ("zb_model_load_regions_text", [zb_model, _text, c_size_t, _text], zb_status),
    ("zb_model_load_indicators", [zb_model, _text], zb_status),
    ("zb_model_load_indicators_text", [zb_model, _text, c_size_t, _text], zb_status),
    ("zb_model_load_scopes", [zb_model, _text], zb_status),
    ("zb_model_load_scopes_text", [zb_model, _text, c_size_t, _text], zb_status),
    ("zb_model_load_observations", [zb_model, _text], zb_status),
    ("zb_model_load_observations_text", [zb_model, _text, c_size_t, _text], zb_status),
    ("zb_model_load_targets", [zb_model, _text], zb_status),
    ("zb_model_load_targets_text", [zb_model, _text, c_size_t, _text], zb_status),
    ("zb_model_load_rules", [zb_model, _text], zb_status),
    ("zb_model_load_rules_text", [zb_model, _text, c_size_t, _text], zb_status),
    # ids and revisions
    ("zb_model_region_id", [zb_model, _text, POINTER(c_int32)], zb_status),
    ("zb_model_indicator_id", [zb_model, _text, POINTER(c_int32)], zb_status),
    ("zb_model_size", [zb_model, POINTER(c_size_t), POINTER(c_size_t)], zb_status),
    ("zb_model_region_code", [zb_model, c_int32, _buf, c_size_t, POINTER(c_size_t)], zb_status),
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
    ("zb_model_explain", [zb_model, _text, _text, _text, _alloc_out], zb_status),
    ("zb_model_rollup_csv", [zb_model, _alloc_out], zb_status),
    ("zb_model_write_rollup", [zb_model, _text], zb_status),
    # checks
    ("zb_model_check", [zb_model, _text, c_int32, POINTER(zb_findings)], zb_status),
    ("zb_findings_count", [zb_findings, POINTER(c_size_t)], zb_status),
    ("zb_findings_get", [zb_findings, c_size_t, POINTER(zb_finding)], zb_status),
    ("zb_findings_destroy", [POINTER(zb_findings)], None),
    # reports
    ("zb_model_report", [zb_model, _text, c_size_t, _text, _text, _alloc_out, _alloc_out], zb_status),
    ("zb_model_table_csv", [zb_model, _text, _text, _text, _text, c_int32, _alloc_out], zb_status),
    ("zb_model_write_table", [zb_model, _text, _text, _text, _text, _text, _text], zb_status),
    # charts and the HTML report
    ("zb_model_chart", [zb_model, _text, _text, _text, _text, _alloc_out], zb_status),
    ("zb_model_report_html", [zb_model, _text, c_size_t, _text, _text, _alloc_out, _alloc_out], zb_status),
    # rule tests
    ("zb_test_run", [_text, _text, POINTER(c_int32), POINTER(c_int32), _alloc_out], zb_status),
    ("zb_test_run_case", [_text, _text, POINTER(c_int32), _alloc_out], zb_status),
]

# ---- text --------------------------------------------------------------------------------------


def encode(value: Union[str, bytes], what: str = "argument") -> bytes:
    """str -> UTF-8 bytes for a ``const char*`` (bytes pass through); refuses embedded NULs."""
    if isinstance(value, str):
        data = value.encode("utf-8")
    elif isinstance(value, (bytes, bytearray)):
        data = bytes(value)
    else:
        raise TypeError("{} must be str, not {}".format(what, type(value).__name__))
    if b"\0" in data:
        raise ValueError("{} contains a NUL character".format(what))
    return data


def encode_text(value: Union[str, bytes], what: str = "text") -> bytes:
    """str -> UTF-8 bytes for a (pointer, length) text argument; NULs are allowed (the length is passed)."""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    raise TypeError("{} must be str or bytes, not {}".format(what, type(value).__name__))


def encode_path(path: Union[str, bytes, "os.PathLike[str]"], what: str = "path") -> bytes:
    """A file path for the C library (the file-system encoding, UTF-8 on Linux)."""
    try:
        data = os.fsencode(path)
    except TypeError:
        raise TypeError("{} must be str, bytes or os.PathLike, not {}".format(what, type(path).__name__)) from None
    if b"\0" in data:
        raise ValueError("{} contains a NUL character".format(what))
    return data


def decode(data: Optional[bytes], errors: str = "strict") -> Optional[str]:
    """UTF-8 bytes from zhibiao -> str (None stays None)."""
    if data is None:
        return None
    return data.decode("utf-8", errors)


def take_string(ptr: c_void_p) -> Optional[str]:
    """Copies a zhibiao-allocated NUL-terminated string out of ``ptr`` and frees it with zb_free."""
    address = ptr.value
    if not address:
        return None
    try:
        return decode(ctypes.string_at(address))
    finally:
        lib.zb_free(address)
        ptr.value = None


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
        # libzhibiao.so.0.1.0 before libzhibiao.so.0: the most specific (real file) last is fine either way
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


def _declare(cdll: ctypes.CDLL, path: str) -> None:
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


def _load() -> "tuple":
    path = find_library()
    try:
        cdll = ctypes.CDLL(path)
    except OSError as e:
        raise ImportError("cannot load the zhibiao library {}: {}".format(path, e)) from e
    # The two version functions first, so a mismatch is reported before a missing symbol.
    for name, restype in (("zb_version", c_char_p), ("zb_abi_version", c_int32)):
        fn = getattr(cdll, name, None)
        if fn is None:
            raise ImportError("{} is not a zhibiao library (no {})".format(path, name))
        fn.argtypes = []
        fn.restype = restype
    version = decode(cdll.zb_version(), "replace")
    if version != __version__:
        raise ImportError("the zhibiao library {} is version {}, but the Python package is {}".format(
            path, version, __version__))
    abi = cdll.zb_abi_version()
    if abi != ABI_VERSION:
        raise ImportError("the zhibiao library {} has ABI version {}, but the Python package needs {}".format(
            path, abi, ABI_VERSION))
    _declare(cdll, path)
    return cdll, path


lib, _path = _load()


def library_path() -> str:
    """The file the zhibiao shared library was loaded from."""
    return _path
