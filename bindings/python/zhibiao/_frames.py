"""pandas in and out of a model through the bulk C calls, never through CSV text.

``load_frame`` sends a data frame of observations as arrays (``zb_model_load_values``); ``rollup_frame``
builds the roll-up from one ``zb_model_rollup_month`` per (month, indicator) — every region's monthly and
year-to-date value as a scaled 64-bit integer with its coverage — and orders the rows as the roll-up CSV
does. pandas (and
the numpy it brings) is imported only here, and only when one of these is called.
"""

import ctypes
import datetime
import numbers
import re
from ctypes import POINTER, byref, c_char_p, c_int32, c_int64, c_size_t
from decimal import Decimal
from typing import Any, Iterable, List, Optional, Tuple

from . import _errors
from . import _lib
from ._lib import lib
from ._model import _EXACT, _day_number, _years

__all__ = ["is_frame", "load_frame", "rollup_frame"]

REQUIRED = ("region", "period", "indicator", "value")
OPTIONAL = ("qualifier",)
FIELDS = REQUIRED + OPTIONAL  # zb_model_load_values' *failed_field numbers these
QUALIFIERS = {"lower_bound": 1, "approximate": 2}
LEVELS = ("nation", "province", "city", "county", "town", "village")  # zb_model_regions_at's level numbers
KIND_PARAMETER = 3  # zb_model_indicator's *kind
ROLLUP_COLUMNS = ["region", "period", "indicator", "monthly", "ytd", "reporting", "expected", "qualifier", "ytd_qualifier"]
QUALIFIER_NAMES = ["", "lower_bound", "approximate"]  # zb_value's qualifier numbers these

# The decimal text observations.csv takes; Python's Decimal() would also take "1e3", "NaN" and non-ASCII digits.
_NUMBER_TEXT = r"[+-]?[0-9]+(?:\.[0-9]+)?"
_NUMBER = re.compile(_NUMBER_TEXT + r"\Z")
_INT64_MIN, _INT64_MAX = -(2 ** 63), 2 ** 63 - 1
_MAX_SCALE = 18

_FLOAT_HINT = ("floats are not exact; read the column as text (pandas.read_csv(..., dtype={'value': str})) or "
               "convert exact numbers with frame['value'].map(lambda x: decimal.Decimal(str(x)))")


def _pandas() -> Tuple[Any, Any]:
    """(pandas, numpy), or an ImportError saying what to do without them."""
    try:
        import numpy
        import pandas
    except ImportError:
        raise ImportError("this needs pandas, which is not installed (Debian: apt-get install python3-pandas); "
                          "without it use Model.rollup_rows() and load_observations(path or text=)") from None
    return pandas, numpy


def is_frame(obj: Any) -> bool:
    """True for a pandas DataFrame, found without importing pandas."""
    return type(obj).__module__.split(".")[0] == "pandas" and hasattr(obj, "columns") and hasattr(obj, "index")


def _frame_error(cls: type, row: Any, column: Optional[str], message: str,
                 code: Optional[int] = None) -> Exception:
    """An exception about one cell of a data frame: the message names the row's index label and the column."""
    where = []
    if row is not _NO_ROW:
        where.append("row {!r}".format(row))
    if column is not None:
        where.append("column {!r}".format(column))
    text = "{}: {}".format(", ".join(where), message) if where else message
    if not issubclass(cls, _errors.ZhibiaoError):
        return cls(text)
    e = cls(text, code=code)
    e.row = None if row is _NO_ROW else row
    e.column = column
    return e


_NO_ROW = object()


def _first_row(codes: Any, u: int, index: Any, np: Any) -> Any:
    """The index label of the first row whose factorized code is `u` (looked for only to report an error)."""
    return index[int(np.flatnonzero(codes == u)[0])]


def _codes_to_ids(series: Any, index: Any, column: str, lookup: Any, pd: Any, np: Any) -> Any:
    """Codes of one column -> int32 ids, one C look-up per distinct code."""
    codes, uniques = pd.factorize(series)
    if (codes < 0).any():
        raise _frame_error(_errors.LoadError, _first_row(codes, -1, index, np), column, "empty {} code".format(column),
                           code=_errors.ZB_LOAD)
    ids = np.empty(len(uniques), dtype=np.int32)
    for u, code in enumerate(uniques):
        if not isinstance(code, str):
            raise _frame_error(TypeError, _first_row(codes, u, index, np), column,
                               "expected str, not {}".format(type(code).__name__))
        try:
            ids[u] = lookup(code)
        except _errors.NotFoundError:
            raise _frame_error(_errors.LoadError, _first_row(codes, u, index, np), column,
                               "unknown {} {!r}".format(column, code), code=_errors.ZB_LOAD) from None
        except ValueError as e:  # an embedded NUL
            raise _frame_error(_errors.LoadError, _first_row(codes, u, index, np), column, str(e),
                               code=_errors.ZB_LOAD) from None
    return ids[codes]


def _periods(series: Any, index: Any, pd: Any, np: Any) -> Tuple[Any, Any]:
    """The period column as an array of ``const char*`` into one buffer holding each distinct text once;
    returns (pointer array, buffer) — the buffer must outlive the call."""
    codes, uniques = pd.factorize(series)
    if (codes < 0).any():
        raise _frame_error(_errors.LoadError, _first_row(codes, -1, index, np), "period", "empty period",
                           code=_errors.ZB_LOAD)
    chunks, offsets, at = [], [], 0
    for u, text in enumerate(uniques):
        if not isinstance(text, str):
            raise _frame_error(TypeError, _first_row(codes, u, index, np), "period",
                               "expected str, not {}".format(type(text).__name__))
        if "\0" in text:
            raise _frame_error(_errors.LoadError, _first_row(codes, u, index, np), "period", "contains a NUL character",
                               code=_errors.ZB_LOAD)
        data = text.encode("utf-8") + b"\0"
        chunks.append(data)
        offsets.append(at)
        at += len(data)
    buffer = ctypes.create_string_buffer(b"".join(chunks), at)
    # Pointer arithmetic in numpy: one address per row without a Python object per row.
    pointers = np.asarray(offsets, dtype=np.uint64)[codes] + np.uint64(ctypes.addressof(buffer))
    return pointers, buffer


def _is_missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and x != x) or type(x).__name__ in ("NAType", "NaTType")


def _text_values(series: Any, pd: Any, np: Any) -> Optional[Tuple[Any, int]]:
    """Vectorised: a column of decimal texts that all fit 18 digits as int64 mantissas at one scale; None
    when any value needs the exact row-by-row path (which also finds the first bad row)."""
    if pd.api.types.infer_dtype(series, skipna=False) != "string":
        return None
    text = series.astype(object)
    if not text.str.fullmatch(_NUMBER_TEXT).all():
        return None
    length = text.str.len().to_numpy()
    point = text.str.find(".").to_numpy()
    decimals = np.where(point >= 0, length - point - 1, 0)
    scale = int(decimals.max()) if len(decimals) else 0
    digits = length - (point >= 0) - text.str.match("[+-]").to_numpy()
    if scale > _MAX_SCALE or (digits + (scale - decimals) > 18).any():
        return None
    mantissa = pd.to_numeric(text.str.replace(".", "", regex=False)).to_numpy(dtype=np.int64)
    return mantissa * (10 ** (scale - decimals)).astype(np.int64), scale


def _values(series: Any, index: Any, pd: Any, np: Any) -> Tuple[Any, int]:
    """The value column as int64 mantissas at one common scale (the most decimals any value has)."""
    kind = series.dtype.kind
    if kind == "O":
        fast = _text_values(series, pd, np)
        if fast is not None:
            return fast
    if kind == "f":
        k = 0
        raise _frame_error(TypeError, index[k], "value", "{!r} is a float: {}".format(series.iloc[k], _FLOAT_HINT))
    if kind in "iu":
        missing = series.isna().to_numpy()
        if missing.any():  # a nullable Int64 column
            raise _frame_error(_errors.LoadError, index[int(np.flatnonzero(missing)[0])], "value",
                               "empty value (a value that was not reported is a row left out, never 0)",
                               code=_errors.ZB_LOAD)
        data = series.to_numpy()
        if kind == "u" and len(data) and data.max() > _INT64_MAX:
            k = int(np.argmax(data))
            raise _frame_error(_errors.ZhibiaoOverflowError, index[k], "value", "{} does not fit 64 bits".format(data[k]))
        return data.astype(np.int64), 0
    if kind == "b":
        raise _frame_error(TypeError, index[0], "value", "booleans are not values")
    decimals = []  # type: List[Decimal]
    scale = 0
    for k, x in enumerate(series.tolist()):
        if isinstance(x, Decimal):
            d = x
        elif isinstance(x, bool):
            raise _frame_error(TypeError, index[k], "value", "booleans are not values")
        elif isinstance(x, numbers.Integral):
            d = Decimal(int(x))
        elif isinstance(x, str):
            if not _NUMBER.match(x):
                raise _frame_error(_errors.LoadError, index[k], "value", "{!r} is not a decimal number".format(x),
                                   code=_errors.ZB_LOAD)
            d = Decimal(x)
        elif _is_missing(x):
            raise _frame_error(_errors.LoadError, index[k], "value",
                               "empty value (a value that was not reported is a row left out, never 0)",
                               code=_errors.ZB_LOAD)
        elif isinstance(x, float):
            raise _frame_error(TypeError, index[k], "value", "{!r} is a float: {}".format(x, _FLOAT_HINT))
        else:
            raise _frame_error(TypeError, index[k], "value",
                               "expected Decimal, int or str, not {}".format(type(x).__name__))
        if not d.is_finite():
            raise _frame_error(_errors.LoadError, index[k], "value", "{} is not a finite number".format(d),
                               code=_errors.ZB_LOAD)
        exponent = d.as_tuple().exponent
        if exponent < -scale:
            if exponent < -_MAX_SCALE:  # trailing zeros may still bring it back within 18 decimals
                d = d.normalize(_EXACT)
                exponent = min(0, d.as_tuple().exponent)
                if exponent < -_MAX_SCALE:
                    raise _frame_error(_errors.LoadError, index[k], "value",
                                       "{} has more than {} decimals".format(x, _MAX_SCALE), code=_errors.ZB_LOAD)
            scale = max(scale, -exponent)
        decimals.append(d)
    scaled = np.empty(len(decimals), dtype=np.int64)
    for k, d in enumerate(decimals):
        m = int(d.scaleb(scale, context=_EXACT))
        if not _INT64_MIN <= m <= _INT64_MAX:
            raise _frame_error(_errors.ZhibiaoOverflowError, index[k], "value",
                               "{} does not fit a 64-bit integer at {} decimals".format(d, scale), code=_errors.ZB_OVERFLOW)
        scaled[k] = m
    return scaled, scale


def _days(model: Any, series: Any, indicators: Any, index: Any, pd: Any, np: Any) -> Any:
    """The values with each date indicator's (unit 日期) turned into its day number: a datetime.date or its text
    (2021-05-12, 2021年5月12日) there, never a number; and no date for any other indicator."""
    dates = {int(i) for i in np.unique(indicators) if model.indicator_unit(int(i)) == "日期"}
    if not dates and series.dtype.kind in "biuf":  # numbers only: nothing to convert or refuse
        return series
    values = series.tolist()
    out = list(values)
    for k, x in enumerate(values):
        day = _day_number(x)
        if int(indicators[k]) in dates:
            if day is None:
                raise _frame_error(_errors.LoadError, index[k], "value",
                                   "{!r} is not a date (write the day as 2021-05-12, 2021年5月12日 or a datetime.date)".format(x),
                                   code=_errors.ZB_LOAD)
            out[k] = day
        elif isinstance(x, datetime.date):
            raise _frame_error(_errors.LoadError, index[k], "value", "{!r} is a date where a number is expected".format(x),
                               code=_errors.ZB_LOAD)
    return pd.Series(out, dtype=object) if dates else series


def _qualifiers(series: Any, index: Any, np: Any) -> Optional[Any]:
    out = np.zeros(len(series), dtype=np.int32)
    for k, x in enumerate(series.tolist()):
        if _is_missing(x) or x == "":
            continue
        q = QUALIFIERS.get(x) if isinstance(x, str) else None
        if q is None:
            raise _frame_error(_errors.LoadError, index[k], "qualifier",
                               "unknown qualifier {!r} (expected lower_bound or approximate)".format(x),
                               code=_errors.ZB_LOAD)
        out[k] = q
    return out if out.any() else None


def load_frame(model: Any, frame: Any) -> int:
    """Loads observations from a DataFrame (region, period, indicator, value[, qualifier]); returns the row count."""
    pd, np = _pandas()
    columns = [str(c) for c in frame.columns]
    for c in REQUIRED:
        if c not in columns:
            raise _frame_error(_errors.LoadError, _NO_ROW, None,
                               "the data frame has no column {!r} (it needs region, period, indicator, value and may "
                               "have qualifier)".format(c), code=_errors.ZB_LOAD)
    for c in columns:
        if c not in FIELDS or columns.count(c) > 1:
            raise _frame_error(_errors.LoadError, _NO_ROW, c, "unknown or repeated column (expected region, period, "
                               "indicator, value[, qualifier])", code=_errors.ZB_LOAD)
    n = len(frame)
    if n == 0:
        return 0
    h = model._h()
    index = frame.index
    regions = _codes_to_ids(frame["region"], index, "region", model.region_id, pd, np)
    indicators = _codes_to_ids(frame["indicator"], index, "indicator", model.indicator_id, pd, np)
    periods, period_text = _periods(frame["period"], index, pd, np)
    scaled, scale = _values(_days(model, frame["value"], indicators, index, pd, np), index, pd, np)
    qualifiers = _qualifiers(frame["qualifier"], index, np) if "qualifier" in columns else None
    failed = c_size_t(n)
    field = c_int32(-1)
    regions = np.ascontiguousarray(regions, dtype=np.int32)
    indicators = np.ascontiguousarray(indicators, dtype=np.int32)
    scaled = np.ascontiguousarray(scaled, dtype=np.int64)
    try:
        lib.zb_model_load_values(
            h, n, regions.ctypes.data_as(POINTER(c_int32)), indicators.ctypes.data_as(POINTER(c_int32)),
            periods.ctypes.data_as(POINTER(c_char_p)),
            scaled.ctypes.data_as(POINTER(c_int64)), scale,
            None if qualifiers is None else qualifiers.ctypes.data_as(POINTER(c_int32)), byref(failed), byref(field))
    except _errors.ZhibiaoError as e:
        if failed.value >= n:
            raise
        column = FIELDS[field.value] if 0 <= field.value < len(FIELDS) else None
        raise _frame_error(type(e), index[failed.value], column, e.message, code=e.code) from None
    del period_text  # the texts the pointers point into lived until here
    return n


# ---- the roll-up as a frame ------------------------------------------------------------------------

_VALUE_DTYPE = None


def _value_dtype(np: Any) -> Any:
    global _VALUE_DTYPE
    if _VALUE_DTYPE is None:
        # The fields at ctypes' own offsets: the struct ends in padding after its last int32.
        fields = _lib.zb_value._fields_
        _VALUE_DTYPE = np.dtype({"names": [name for name, _ in fields],
                                 "formats": ["<i{}".format(ctypes.sizeof(t)) for _, t in fields],
                                 "offsets": [getattr(_lib.zb_value, name).offset for name, _ in fields],
                                 "itemsize": ctypes.sizeof(_lib.zb_value)})
    return _VALUE_DTYPE


def _indicators(model: Any, wanted: Optional[Iterable[str]]) -> List[Tuple[int, str, int]]:
    """(id, code, decimals) of the indicators to export, in catalogue order."""
    _, count = model.size()
    info = {i: model.indicator_info(i) for i in range(count)}
    if wanted is None:
        ids = [i for i in range(count) if info[i][1] != KIND_PARAMETER]
    else:
        if isinstance(wanted, str):
            wanted = [wanted]
        ids = set()
        for code in wanted:
            i = model.indicator_id(code)
            if info[i][1] == KIND_PARAMETER:
                raise _errors.InvalidArgumentError("'{}' is a parameter: it is not aggregated, so it has no roll-up "
                                                   "rows".format(code), code=_errors.ZB_INVALID_ARGUMENT)
            ids.add(i)
        ids = sorted(ids)
    return [(i, info[i][0], info[i][2]) for i in ids]


def _months(h: Any, period: Optional[str]) -> List[Tuple[int, int]]:
    years = _years(h)
    if period is None:
        return [(y, m) for y in years for m in range(1, 13)]
    y0, m0, y1, m1 = c_int32(), c_int32(), c_int32(), c_int32()
    lib.zb_period_parse_span(period, byref(y0), byref(m0), byref(y1), byref(m1))
    first, last = y0.value * 12 + m0.value - 1, y1.value * 12 + m1.value - 1
    return [(s // 12, s % 12 + 1) for s in range(first, last + 1) if s // 12 in years]


def _decimals_into(out: Any, scaled: Any, has: Any, scale: int, np: Any) -> None:
    """Writes exact Decimals (None where missing) into `out`, converting each distinct mantissa once."""
    uniques, inverse = np.unique(scaled, return_inverse=True)
    table = np.empty(len(uniques), dtype=object)
    if scale:
        table[:] = [Decimal(int(u)).scaleb(-scale, context=_EXACT) for u in uniques.tolist()]
    else:
        table[:] = [Decimal(u) for u in uniques.tolist()]
    column = table[inverse]
    column[~has] = None
    out[:] = column


def _subtree(parents: Any, root: int, np: Any) -> Any:
    """Mask of `root` and every region below it, given each region's parent id (-1 at the top)."""
    keep = np.arange(len(parents)) == root
    up = parents.copy()
    while (up >= 0).any():
        keep |= up == root
        up = np.where(up >= 0, parents[np.maximum(up, 0)], -1)
    return keep


def rollup_frame(model: Any, level: Optional[str], region: Optional[str], period: Optional[str],
                 indicators: Optional[Iterable[str]], scaled: bool) -> Any:
    """The roll-up (or the rows the filters keep) as a DataFrame in the roll-up CSV's row order."""
    pd, np = _pandas()
    h = model._h()
    dtype = _value_dtype(np)
    inds = _indicators(model, indicators)
    n_regions, _ = model.size()
    if level is not None and level not in LEVELS:
        raise _errors.InvalidArgumentError("unknown level {!r} (expected one of {})".format(level, ", ".join(LEVELS)),
                                           code=_errors.ZB_INVALID_ARGUMENT)
    root = model.region_id(region) if region is not None else None
    months = _months(h, period)
    size = max(n_regions, 1)
    monthly_buf, ytd_buf = (_lib.zb_value * size)(), (_lib.zb_value * size)()
    levels_buf, parents_buf = (c_int32 * size)(), (c_int32 * size)()
    count = c_size_t()
    # One zb_model_rollup_month per (month, indicator): every region's monthly and year-to-date value.
    chunks = []  # (serial, region ids kept, [(monthly, ytd) per indicator])
    for year, month in months:
        lib.zb_model_regions_at(h, year, month, n_regions, levels_buf, parents_buf, byref(count))
        levels = np.frombuffer(levels_buf, dtype=np.int32, count=n_regions)
        keep = levels >= 0
        if level is not None:
            keep &= levels == LEVELS.index(level)
        if root is not None:
            keep &= _subtree(np.frombuffer(parents_buf, dtype=np.int32, count=n_regions), root, np)
        ids = np.flatnonzero(keep)
        if not len(ids) or not inds:
            continue
        values = []
        for _, code, _ in inds:
            lib.zb_model_rollup_month(h, code, year, month, n_regions, monthly_buf, ytd_buf, byref(count))
            values.append((np.frombuffer(monthly_buf, dtype=dtype, count=n_regions)[ids],
                           np.frombuffer(ytd_buf, dtype=dtype, count=n_regions)[ids]))
        # The CSV writer's rule: a region whose month has no leaves below it has no rows.
        sel = values[0][0]["expected"] > 0
        if not sel.all():
            ids = ids[sel]
            values = [(mv[sel], yv[sel]) for mv, yv in values]
        chunks.append((year * 12 + month - 1, ids, values))
    k_ind = len(inds)
    pair_region = np.concatenate([c[1] for c in chunks]) if chunks else np.empty(0, dtype=np.int64)
    pair_serial = np.concatenate([np.full(len(c[1]), c[0]) for c in chunks]) if chunks else np.empty(0, dtype=np.int64)
    # Rows go region by region, month by month, indicator by indicator: place each value by the rank of its
    # (region, month) pair instead of sorting every row.
    order = np.lexsort((pair_serial, pair_region))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    n = len(order) * k_ind
    m_scaled, y_scaled = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    m_has, y_has = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    reporting, expected = np.zeros(n, dtype=np.int32), np.zeros(n, dtype=np.int32)
    m_qual, y_qual = np.zeros(n, dtype=np.int8), np.zeros(n, dtype=np.int8)
    offset = 0
    for _, ids, values in chunks:
        base = rank[offset:offset + len(ids)] * k_ind
        offset += len(ids)
        for k, (mv, yv) in enumerate(values):
            pos = base + k
            m_scaled[pos], m_has[pos] = mv["scaled"], mv["has_value"] != 0
            y_scaled[pos], y_has[pos] = yv["scaled"], yv["has_value"] != 0
            reporting[pos], expected[pos] = mv["reporting"], mv["expected"]
            m_qual[pos], y_qual[pos] = mv["qualifier"], yv["qualifier"]
    row_region = np.repeat(pair_region[order], k_ind)
    row_serial = np.repeat(pair_serial[order], k_ind)
    used_regions = np.unique(row_region)
    used_serials = np.unique(row_serial)
    columns = {
        "region": pd.Categorical.from_codes(np.searchsorted(used_regions, row_region),
                                            [model._region_code(h, int(r)) for r in used_regions]),
        "period": pd.Categorical.from_codes(np.searchsorted(used_serials, row_serial),
                                            ["{:04d}-{:02d}".format(s // 12, s % 12 + 1) for s in used_serials.tolist()]),
        "indicator": pd.Categorical.from_codes(np.tile(np.arange(k_ind), len(order)), [code for _, code, _ in inds]),
    }
    if scaled:
        columns["monthly"] = pd.arrays.IntegerArray(m_scaled, ~m_has)
        columns["ytd"] = pd.arrays.IntegerArray(y_scaled, ~y_has)
    else:
        monthly, ytd = np.empty(n, dtype=object), np.empty(n, dtype=object)
        for k, (_, _, decimals) in enumerate(inds):
            _decimals_into(monthly[k::k_ind], m_scaled[k::k_ind], m_has[k::k_ind], decimals, np)
            _decimals_into(ytd[k::k_ind], y_scaled[k::k_ind], y_has[k::k_ind], decimals, np)
        columns["monthly"], columns["ytd"] = monthly, ytd
    columns["reporting"], columns["expected"] = reporting, expected
    columns["qualifier"] = pd.Categorical.from_codes(m_qual, QUALIFIER_NAMES)
    columns["ytd_qualifier"] = pd.Categorical.from_codes(y_qual, QUALIFIER_NAMES)
    if scaled:
        columns["scale"] = np.tile(np.array([d for _, _, d in inds], dtype=np.int32), len(order))
    # A dict of Series in column order: handing pandas bare arrays with columns= makes it copy every column
    # through an object array (seconds for a national roll-up).
    index = pd.RangeIndex(n)
    return pd.DataFrame({name: pd.Series(columns[name], index=index, copy=False)
                         for name in ROLLUP_COLUMNS + (["scale"] if scaled else [])})
