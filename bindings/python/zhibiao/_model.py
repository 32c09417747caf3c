"""The Pythonic layer: Model owns a zb_model handle; Value and Finding are plain immutable records."""

import array
import csv
import ctypes
import datetime
import decimal
import re
import io
import os
import weakref
from ctypes import byref, c_int32, c_int64, c_size_t, c_uint8, c_void_p
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import _errors
from . import _lib
from ._lib import decode, encode_text, lib, take_string

__all__ = ["Model", "Value", "Finding", "Partial"]

PathLike = Union[str, bytes, "os.PathLike[str]"]
Number = Union[Decimal, int, str, datetime.date]

# A day date (unit 日期) crosses the C ABI as its day number, days since this day; its text is ISO 8601.
_DAY_ZERO = datetime.date(1970, 1, 1)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAY_TEXT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$|^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def _day_number(x: Any) -> Optional[int]:
    """The day number of a datetime.date or of its text (2021-05-12, 2021年5月12日); None for anything else,
    a day that does not exist or one outside 1900-2200 included."""
    if isinstance(x, datetime.date) and not isinstance(x, datetime.datetime):
        day = x
    else:
        m = _DAY_TEXT.match(x) if isinstance(x, str) else None
        if not m:
            return None
        y, mo, d = (int(g) for g in m.groups() if g is not None)
        try:
            day = datetime.date(y, mo, d)
        except ValueError:
            return None
    return (day - _DAY_ZERO).days if 1900 <= day.year <= 2200 else None

# Exact arithmetic independent of the caller's decimal context (which may have a low precision).
_EXACT = decimal.Context(prec=80, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, traps=[decimal.Inexact,
                                                                                      decimal.InvalidOperation])
_INT64_MIN = -(2 ** 63)
_INT64_MAX = 2 ** 63 - 1
_MAX_SCALE = 18  # zb_model_set_values accepts 0..18


@dataclass(frozen=True)
class Revision:
    """One replaced or cleared value, as the revision log records it: ``old`` / ``new`` are exact or None
    (it was missing / it was cleared), ``source`` the cell or line the new value came from."""

    time: str
    region: str
    period: str
    indicator: str
    old: Optional[Decimal]
    new: Optional[Decimal]
    source: str


@dataclass(frozen=True)
class Value:
    """One value with its coverage.

    ``value`` is the exact decimal (from the library's text, so ``str(value)`` keeps the indicator's
    decimals, e.g. ``Decimal('12.50')``) or ``None`` when nothing was reported — missing is never 0.
    For a day date (an indicator of unit 日期) ``date`` is the ``datetime.date`` and ``value`` its day number
    (days since 1970-01-01, as the C ABI carries it); ``date`` is ``None`` for every other value.
    ``reporting`` leaves reported out of ``expected``. ``qualifier`` is ``"lower_bound"`` (XX多: some part was
    reported as a lower bound), ``"approximate"`` (约: some part approximate) or ``""``, carried from the parts
    as the roll-up combines them. ``carried`` counts, for a stock, the leaves whose value is an earlier month's
    end (in the value, not in ``reporting``).
    """

    value: Optional[Decimal]
    reporting: int
    expected: int
    qualifier: str = ""
    carried: int = 0
    date: Optional[datetime.date] = None

    @property
    def missing(self) -> bool:
        """True when nothing was reported."""
        return self.value is None

    @property
    def complete(self) -> bool:
        """True when every expected leaf reported."""
        return self.reporting == self.expected


@dataclass(frozen=True)
class Finding:
    """One result of Model.check(): a target, rule or built-in check for a region and period."""

    check: str
    subject: str
    region: str
    region_name: str
    period: str
    severity: str
    status: str
    actual: Optional[Decimal]
    expected: Optional[Decimal]
    message: str
    completion: Optional[Decimal] = None  #: floors: 完成率 %, 1 decimal
    progress: Optional[Decimal] = None    #: floors before the period's end: 序时进度 %, 1 decimal
    projected: Optional[Decimal] = None   #: floors before the period's end: projected year-end value


@dataclass(frozen=True)
class Partial:
    """A subtree root's roll-up for one year, as another model loads it for one leaf (Model.export_partial,
    Model.load_partial). Entry ``i * 12 + month - 1`` of the arrays is indicator ``i`` of ``indicators`` in
    that month: ``monthly`` and ``ytd`` mantissas at the indicator's decimals (0 when absent), ``reporting``
    the leaves that reported, ``present`` bit 0 the monthly value exists, bit 1 the year-to-date value, bits
    2–3 and 4–5 their qualifier bits (1 a lower-bound part, 2 an approximate part);
    ``expected`` the leaves under the root each month. Exact (integers only) and picklable, so it travels
    between Dask workers as it is."""

    region: str
    year: int
    indicators: Tuple[str, ...]
    monthly: "array.array[int]"
    ytd: "array.array[int]"
    reporting: "array.array[int]"
    present: bytes
    expected: Tuple[int, ...]


def _years(h: "_lib.zb_model") -> List[int]:
    """The model's years, learning the count with capacity 0 first."""
    count = c_size_t(0)
    while True:
        buf = (c_int32 * max(count.value, 1))()
        try:
            lib.zb_model_years(h, count.value, buf, byref(count))
        except _errors.BufferTooSmallError:
            continue
        return list(buf[:count.value])


#: zb_value's qualifier numbers as names.
_QUALIFIER_NAMES = ("", "lower_bound", "approximate")


def _decimal_or_none(text: Optional[str]) -> Optional[Decimal]:
    if text is None or text == "":
        return None
    return Decimal(text)


def _from_scaled(scaled: int, scale: int) -> Decimal:
    return Decimal(scaled).scaleb(-scale, context=_EXACT) if scale else Decimal(scaled)


def _to_decimal(value: Number, what: str = "value") -> Decimal:
    """Decimal/int/str -> a finite Decimal; floats are refused (they are not exact). A datetime.date is the
    day number a date indicator (日期) holds."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return Decimal((value - _DAY_ZERO).days)
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError("{} must be Decimal, int or str (floats are not exact), not {}".format(
            what, type(value).__name__))
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip())
        except decimal.InvalidOperation:
            raise _errors.ParseError("{} {!r} is not a decimal number".format(what, value),
                                     code=_errors.ZB_PARSE) from None
    else:
        raise TypeError("{} must be Decimal, int or str, not {}".format(what, type(value).__name__))
    if not d.is_finite():
        raise ValueError("{} must be finite, not {}".format(what, d))
    return d


def _decimal_text(value: Number) -> str:
    """The exact text zhibiao parses: plain notation, never exponents."""
    if isinstance(value, str) and not isinstance(value, bool):
        return value.strip()  # let zhibiao's own parser judge (it accepts what the CSV files accept)
    return format(_to_decimal(value), "f")


def _decimals(d: Decimal) -> int:
    """Number of decimals needed to write d exactly (trailing zeros dropped)."""
    if d.is_zero():
        return 0
    exponent = d.normalize(_EXACT).as_tuple().exponent
    return max(0, -int(exponent))


def _frames_module() -> Any:
    # Imported on first use, so that importing zhibiao never imports pandas.
    from . import _frames
    return _frames


def _destroy_model(handle: "_lib.zb_model") -> None:
    # Runs once: from close(), the context manager, garbage collection or interpreter exit.
    lib.zb_model_destroy(byref(handle))


class Chart(str):
    """An SVG chart: the SVG text itself, shown as a picture by notebooks (``_repr_svg_``)."""

    def _repr_svg_(self) -> str:
        return str(self)


_TABLE_TEXT_COLUMNS = ("code", "name", "notes")
_TABLE_TEXT_ROLES = ("status", "coverage")


def _table_rows(text: str) -> List[Dict[str, Any]]:
    """Rows of the keyed table CSV: per sheet a line of keys, two header lines, then the rows; sheets are
    separated by an empty line."""
    rows: List[Dict[str, Any]] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = list(csv.reader(io.StringIO(block)))
        lines = [line for line in lines if line]
        if len(lines) < 3:
            continue
        keys = lines[0]
        sheet_rows: List[Dict[str, Any]] = []
        for line in lines[3:]:
            row: Dict[str, Any] = {}
            for key, cell in zip(keys, line):
                role = key.split(":", 1)[1] if ":" in key else key
                if key in _TABLE_TEXT_COLUMNS or role in _TABLE_TEXT_ROLES:
                    row[key] = cell if cell != "" else None
                else:
                    row[key] = Decimal(cell) if cell != "" else None
            sheet_rows.append(row)
        # The sheet is the parent region's: its row is the 合计 one (scope rows may follow it).
        totals = [r["code"] for r in sheet_rows if (r.get("name") or "").endswith("合计")]
        parent = totals[0] if totals else sheet_rows[-1]["code"]
        for row in sheet_rows:
            row["sheet"] = parent
        rows.extend(sheet_rows)
    return rows


class Model:
    """A zhibiao model: catalogue, regions, observations, roll-up, targets and rules.

    Typical use::

        with Model.from_files(regions="regions.csv", indicators="indicators.csv",
                              observations="observations.csv") as m:
            m.value("A", "2021-02", "new_jobs")        # Value(value=Decimal('20'), reporting=1, expected=2)

    Lifetime: the model owns one C ``zb_model`` handle. ``close()`` (or leaving a ``with`` block) frees it
    at once; otherwise a ``weakref.finalize`` frees it when the object is collected or at interpreter
    exit (there is no ``__del__``). Closing twice is harmless; any other call on a closed model raises
    :class:`InvalidArgumentError` (a ``ValueError``).

    Threads: ctypes releases the GIL for the duration of every C call, so calls from several Python
    threads really run in parallel inside the library. The C side guards each model with a shared mutex:

    * queries — ``value``, ``slice``, ``explain``, ``rollup_csv``/``rollup_rows``/``to_dataframe``,
      ``write_rollup``, ``check``, ``report``, ``region_id``/``indicator_id``/``size`` — may run
      concurrently from any number of threads on a rolled-up model;
    * loads (``load_*``), revisions (``set_value``, ``set_values``, ``clear_value``) and ``rollup()``
      take the model exclusively: they wait for running queries and block new ones, so every query sees
      the model either entirely before or entirely after a revision;
    * ``close()`` must not race with other calls on the same model (finish or join the other threads
      first): it frees the handle they would be using.

    Errors are raised as typed exceptions (subclasses of :class:`ZhibiaoError`) carrying the C
    library's message; a failed load leaves the model exactly as it was.
    """

    def __init__(self) -> None:
        handle = _lib.zb_model()
        lib.zb_model_create(byref(handle))
        self._handle = handle  # type: Optional[_lib.zb_model]
        self._finalizer = weakref.finalize(self, _destroy_model, handle)

    # ---- lifetime ----------------------------------------------------------------------------

    def close(self) -> None:
        """Frees the C model now. Idempotent."""
        self._handle = None
        self._finalizer()

    @property
    def closed(self) -> bool:
        return self._handle is None

    def __enter__(self) -> "Model":
        self._h()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._handle is None:
            return "<zhibiao.Model closed>"
        regions, indicators = self.size()
        return "<zhibiao.Model {} regions, {} indicators>".format(regions, indicators)

    def _h(self) -> "_lib.zb_model":
        h = self._handle
        if h is None:
            raise _errors.InvalidArgumentError("the model is closed", code=_errors.ZB_INVALID_ARGUMENT)
        return h

    @classmethod
    def from_files(cls, regions: PathLike, indicators: PathLike, observations: Optional[PathLike] = None,
                   scopes: Optional[PathLike] = None, targets: Optional[PathLike] = None,
                   rules: Optional[PathLike] = None, rollup: bool = True) -> "Model":
        """A model loaded from files (regions, indicators, scopes, observations, targets, rules, in that
        order) and, unless ``rollup=False``, rolled up. On error the half-built model is closed."""
        m = cls()
        try:
            m.load_regions(regions)
            m.load_indicators(indicators)
            if scopes is not None:
                m.load_scopes(scopes)
            if observations is not None:
                m.load_observations(observations)
            if targets is not None:
                m.load_targets(targets)
            if rules is not None:
                m.load_rules(rules)
            if rollup:
                m.rollup()
        except BaseException:
            m.close()
            raise
        return m

    # ---- loading ------------------------------------------------------------------------------

    def _load(self, kind: str, path: Optional[PathLike], text: Optional[Union[str, bytes]],
              name: Optional[str]) -> None:
        if (path is None) == (text is None):
            raise TypeError("load_{}() needs exactly one of path= or text=".format(kind))
        h = self._h()
        if path is not None:
            getattr(lib, "zb_model_load_" + kind)(h, path)
        else:
            data = encode_text(text, "text")
            getattr(lib, "zb_model_load_{}_text".format(kind))(h, data, len(data), name)

    def load_regions(self, path: Optional[PathLike] = None, text: Optional[Union[str, bytes]] = None,
                     name: Optional[str] = None) -> None:
        """Loads regions.csv from ``path`` or from CSV ``text`` (``name`` labels error messages)."""
        self._load("regions", path, text, name)

    def load_indicators(self, path: Optional[PathLike] = None, text: Optional[Union[str, bytes]] = None,
                        name: Optional[str] = None) -> None:
        """Loads indicators.csv from ``path`` or CSV ``text``."""
        self._load("indicators", path, text, name)

    def load_scopes(self, path: Optional[PathLike] = None, text: Optional[Union[str, bytes]] = None,
                    name: Optional[str] = None) -> None:
        """Loads scopes.csv (after the regions) from ``path`` or CSV ``text``."""
        self._load("scopes", path, text, name)

    def load_observations(self, path: Optional[Any] = None, text: Optional[Union[str, bytes]] = None,
                          name: Optional[str] = None, frame: Optional[Any] = None, *, map: Optional[PathLike] = None,
                          sheet: Optional[str] = None, under: Optional[str] = None, period: Optional[str] = None) -> None:
        """Loads observations from observations.csv at ``path``, CSV ``text``, a workbook, or a pandas DataFrame.

        A path ending in ``.xlsx`` is a bureau's wide table, read by the library's workbook import (the same
        code as ``zhibiao import``); so is a CSV whose header is not ``region,period,indicator,value`` (the
        sheet saved as CSV), or any path given with one of these options: ``map`` is a MAP.csv (``column,indicator``), ``sheet`` one sheet (default
        every sheet), ``under`` the region whose towns the name column lists (its 合计 row is its reported
        total), ``period`` the period (default: the sheet name, else the title). Errors name the workbook,
        sheet and cell (``LoadError.file`` is ``book.xlsx:sheet!B8``).

        A DataFrame (``frame=``, or passed as the first argument) has the columns ``region, period,
        indicator, value`` and optionally ``qualifier``; values are ``Decimal``, ``int`` or decimal text
        (floats are refused: they are not exact). It goes to the library as arrays, never as CSV text, with
        the loader's rules: all or nothing, one value per region, indicator and month. An error names the
        row's index label and the column (``.row``, ``.column`` on a :class:`ZhibiaoError`). Loading marks
        the roll-up stale, except that a frame updates a current roll-up in place.
        """
        if frame is None and path is not None and _frames_module().is_frame(path):
            frame, path = path, None
        if frame is not None:
            if path is not None or text is not None:
                raise TypeError("load_observations() takes one of path=, text= or frame=")
            _frames_module().load_frame(self, frame)
            return
        wide_options = map is not None or sheet is not None or under is not None or period is not None
        if path is not None and text is None and (os.fspath(path).lower().endswith(".xlsx") or wide_options):
            lib.zb_model_load_workbook(self._h(), path, None if map is None else os.fspath(map), sheet, under, period)
            return
        if wide_options:
            raise TypeError("map=, sheet=, under= and period= are for a path to a workbook or a wide CSV")
        self._load("observations", path, text, name)

    def revise(self, path: PathLike, *, map: Optional[PathLike] = None, sheet: Optional[str] = None,
               under: Optional[str] = None, period: Optional[str] = None, log: Optional[PathLike] = None) -> int:
        """Revises loaded values from a workbook, a wide CSV (with ``map``) or observations.csv, all or nothing;
        appends each change to the CSV revision ``log`` when given; returns the number of changed values."""
        changed = c_size_t(0)
        lib.zb_model_revise(self._h(), path, None if map is None else os.fspath(map), sheet, under, period,
                            None if log is None else os.fspath(log), byref(changed))
        return changed.value

    def revisions(self) -> List["Revision"]:
        """Every value :meth:`revise` replaced or cleared on this model, in order, with exact ``Decimal`` old and
        new values (None: it was missing / it was cleared)."""
        out = c_void_p()
        try:
            lib.zb_model_revisions_csv(self._h(), byref(out))
            text = take_string(out) or ""
        finally:
            take_string(out)  # no-op unless the call failed after allocating
        rows = csv.DictReader(io.StringIO(text, newline=""))
        num = lambda s: Decimal(s) if s else None
        return [Revision(r["time"], r["region"], r["period"], r["indicator"], num(r["old"]), num(r["new"]), r["source"])
                for r in rows]

    def load_targets(self, path: Optional[PathLike] = None, text: Optional[Union[str, bytes]] = None,
                     name: Optional[str] = None) -> None:
        """Loads targets.csv (replacing earlier targets) from ``path`` or CSV ``text``."""
        self._load("targets", path, text, name)

    def load_rules(self, path: Optional[PathLike] = None, text: Optional[Union[str, bytes]] = None,
                   name: Optional[str] = None) -> None:
        """Loads a rules file (replacing earlier rules) from ``path`` or ``text``."""
        self._load("rules", path, text, name)

    # ---- catalogue ----------------------------------------------------------------------------

    def region_id(self, code: str) -> int:
        """Dense id of a region code (NotFoundError when unknown)."""
        out = c_int32()
        lib.zb_model_region_id(self._h(), code, byref(out))
        return out.value

    def indicator_id(self, code: str) -> int:
        """Dense id of an indicator code (NotFoundError when unknown)."""
        out = c_int32()
        lib.zb_model_indicator_id(self._h(), code, byref(out))
        return out.value

    def region_code(self, region_id: int) -> str:
        """The code of region ``region_id``."""
        return self._region_code(self._h(), region_id)

    @staticmethod
    def _region_code(h: "_lib.zb_model", region_id: int) -> str:
        length = c_size_t(0)
        buf = ctypes.create_string_buffer(32)
        while True:
            lib.zb_model_region_code(h, region_id, buf, len(buf), byref(length))
            if length.value < len(buf):
                return decode(buf.value)
            buf = ctypes.create_string_buffer(length.value + 1)

    def indicator_info(self, indicator_id: int) -> Tuple[str, int, int]:
        """(code, kind, decimals) of indicator ``indicator_id``; kind 0 flow, 1 stock, 2 ratio, 3 parameter."""
        h = self._h()
        kind, decimals, length = c_int32(), c_int32(), c_size_t()
        buf = ctypes.create_string_buffer(64)
        lib.zb_model_indicator(h, indicator_id, buf, len(buf), byref(length), byref(kind), byref(decimals))
        if length.value >= len(buf):
            buf = ctypes.create_string_buffer(length.value + 1)
            lib.zb_model_indicator(h, indicator_id, buf, len(buf), byref(length), None, None)
        return decode(buf.value), kind.value, decimals.value

    def indicator_unit(self, indicator_id: int) -> str:
        """The unit symbol of indicator ``indicator_id`` (人, 万元, % …; 日期 for a day date)."""
        h = self._h()
        length = c_size_t()
        buf = ctypes.create_string_buffer(32)
        lib.zb_model_indicator_unit(h, indicator_id, buf, len(buf), byref(length))
        if length.value >= len(buf):
            buf = ctypes.create_string_buffer(length.value + 1)
            lib.zb_model_indicator_unit(h, indicator_id, buf, len(buf), byref(length))
        return decode(buf.value)

    def size(self) -> Tuple[int, int]:
        """(number of regions, number of indicators)."""
        regions = c_size_t(0)
        indicators = c_size_t(0)
        lib.zb_model_size(self._h(), byref(regions), byref(indicators))
        return regions.value, indicators.value

    # ---- revisions ----------------------------------------------------------------------------

    def set_value(self, region: str, period: str, indicator: str, value: Number) -> None:
        """Sets or revises one value (a month or a year-to-date span); ``value`` is a Decimal, int or
        decimal text — floats are refused; for a date indicator (日期) a datetime.date or its text, 2021-05-12.
        A current roll-up is updated in place."""
        text = value.isoformat() if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime) \
            else _decimal_text(value)
        lib.zb_model_set_value(self._h(), region,
                               period,
                               indicator,
                               text)

    def clear_value(self, region: str, period: str, indicator: str) -> None:
        """Removes one monthly value: it becomes missing, not 0."""
        lib.zb_model_clear_value(self._h(), region,
                                 period,
                                 indicator)

    def set_values(self, rows: Iterable[Sequence[Any]]) -> int:
        """Bulk monthly values, all-or-nothing, through one zb_model_set_values call.

        ``rows`` is an iterable of ``(region_code, indicator_code, year, month, value)`` with ``value`` a
        Decimal, int or decimal text (a datetime.date for a date indicator, 日期). The values are sent as scaled 64-bit integers with one common scale
        (the most decimals any value needs). Returns the number of values set.
        """
        rows = list(rows)
        n = len(rows)
        if n == 0:
            return 0
        h = self._h()
        region_ids = {}  # type: Dict[str, int]
        indicator_ids = {}  # type: Dict[str, int]
        r_arr = (c_int32 * n)()
        i_arr = (c_int32 * n)()
        y_arr = (c_int32 * n)()
        m_arr = (c_int32 * n)()
        values = []  # type: List[Decimal]
        for k, row in enumerate(rows):
            try:
                region, indicator, year, month, value = row
            except (TypeError, ValueError):
                raise TypeError("row {}: expected (region, indicator, year, month, value), got {!r}".format(
                    k, row)) from None
            if region not in region_ids:
                region_ids[region] = self.region_id(region)
            if indicator not in indicator_ids:
                indicator_ids[indicator] = self.indicator_id(indicator)
            for what, x in (("year", year), ("month", month)):
                if isinstance(x, bool) or not isinstance(x, int):
                    raise TypeError("row {}: {} must be int, not {}".format(k, what, type(x).__name__))
                if not -2 ** 31 <= x < 2 ** 31:
                    raise _errors.InvalidArgumentError("row {}: {} {} out of range".format(k, what, x),
                                                       code=_errors.ZB_INVALID_ARGUMENT)
            r_arr[k] = region_ids[region]
            i_arr[k] = indicator_ids[indicator]
            y_arr[k] = year
            m_arr[k] = month
            values.append(_to_decimal(value, "row {} value".format(k)))
        scale = max(_decimals(v) for v in values)
        if scale > _MAX_SCALE:
            raise _errors.InvalidArgumentError(
                "a value needs {} decimals; zb_model_set_values allows at most {}".format(scale, _MAX_SCALE),
                code=_errors.ZB_INVALID_ARGUMENT)
        s_arr = (c_int64 * n)()
        for k, v in enumerate(values):
            scaled = int(v.scaleb(scale, context=_EXACT))
            if not _INT64_MIN <= scaled <= _INT64_MAX:
                raise _errors.ZhibiaoOverflowError(
                    "row {}: {} does not fit a scaled 64-bit integer at scale {}".format(k, v, scale),
                    code=_errors.ZB_OVERFLOW)
            s_arr[k] = scaled
        lib.zb_model_set_values(h, n, r_arr, i_arr, y_arr, m_arr, s_arr, scale)
        return n

    # ---- roll-up and queries --------------------------------------------------------------------

    def rollup(self) -> None:
        """Computes the full roll-up; queries before it raise StateError."""
        lib.zb_model_rollup(self._h())

    def value(self, region: str, period: str, indicator: str) -> Value:
        """The value of ``indicator`` at a region (or scope code) for a period, exactly, with coverage.

        ``period`` is any period zhibiao understands: ``2021-02``, ``2021-01..2021-03``, ``2021年1-3月``,
        ``截至2021年3月底``, ``2021Q1``, ``2021`` …
        """
        h = self._h()
        out = _lib.zb_value()
        length = c_size_t(0)
        buf = ctypes.create_string_buffer(48)
        while True:
            try:
                lib.zb_model_value(h, region, period, indicator, byref(out), buf, len(buf), byref(length))
            except _errors.ZhibiaoOverflowError:
                # The value does not fit `scaled`, but the exact text was still written.
                if length.value == 0:
                    raise
            if length.value < len(buf):
                break
            buf = ctypes.create_string_buffer(length.value + 1)
        text = decode(buf.value)
        if _ISO_DAY.match(text):  # a day date: the text is the day, `scaled` its day number
            return Value(Decimal(out.scaled), out.reporting, out.expected, _QUALIFIER_NAMES[out.qualifier], out.carried,
                         datetime.date.fromisoformat(text))
        return Value(_decimal_or_none(text), out.reporting, out.expected, _QUALIFIER_NAMES[out.qualifier],
                     out.carried)

    def slice(self, level: str, indicator: str, period: str) -> List[Tuple[str, Value]]:
        """Every region of ``level`` ("city", "county", "town", …) for one indicator and period, as
        ``[(region_code, Value), …]`` in region order; ``[]`` when the level has no regions.

        The values cross as scaled 64-bit integers (one C call for the whole level); the roll-up stores
        them that way, so they always fit."""
        h = self._h()
        count = c_size_t(0)
        # Learn the count with capacity 0 (ZB_BUFFER_TOO_SMALL comes back with *count set); loop, since a
        # load on another thread may add regions in between.
        capacity = 0
        while True:
            ids = (c_int32 * max(capacity, 1))()
            vals = (_lib.zb_value * max(capacity, 1))()
            try:
                lib.zb_model_slice(h, level, indicator, period, capacity, ids, vals, byref(count))
            except _errors.BufferTooSmallError:
                capacity = count.value
                continue
            break
        result = []
        for k in range(count.value):
            v = vals[k]
            value = _from_scaled(v.scaled, v.scale) if v.has_value else None
            result.append((self._region_code(h, ids[k]), Value(value, v.reporting, v.expected, _QUALIFIER_NAMES[v.qualifier],
                                                               v.carried)))
        return result

    def explain(self, region: str, period: str, indicator: str) -> str:
        """Where a value came from: the rule, each child's share and who is missing, as text."""
        out = c_void_p()
        try:
            lib.zb_model_explain(self._h(), region,
                                 period,
                                 indicator, byref(out))
            return take_string(out) or ""
        finally:
            take_string(out)  # no-op unless the call failed after allocating

    def rollup_csv(self) -> str:
        """The whole roll-up as CSV: region,period,indicator,monthly,ytd,reporting,expected,qualifier,ytd_qualifier."""
        out = c_void_p()
        try:
            lib.zb_model_rollup_csv(self._h(), byref(out))
            return take_string(out) or ""
        finally:
            take_string(out)

    def rollup_rows(self) -> List[Dict[str, Any]]:
        """The roll-up as dicts: region, period, indicator (str), monthly, ytd (Decimal or None),
        reporting, expected (int), qualifier, ytd_qualifier ("", "lower_bound" or "approximate")."""
        rows = []
        for rec in csv.DictReader(io.StringIO(self.rollup_csv(), newline="")):
            rows.append({
                "region": rec["region"],
                "period": rec["period"],
                "indicator": rec["indicator"],
                "monthly": _decimal_or_none(rec["monthly"]),
                "ytd": _decimal_or_none(rec["ytd"]),
                "reporting": int(rec["reporting"]),
                "expected": int(rec["expected"]),
                "qualifier": rec["qualifier"],
                "ytd_qualifier": rec["ytd_qualifier"],
            })
        return rows

    def to_dataframe(self, level: Optional[str] = None, region: Optional[str] = None, period: Optional[str] = None,
                     indicators: Optional[Iterable[str]] = None, scaled: bool = False) -> Any:
        """The roll-up as a pandas DataFrame with the roll-up CSV's columns and row order.

        ``level`` keeps the regions of one level, ``region`` a region and everything below it, ``period``
        the months it covers, ``indicators`` some indicators (codes). ``monthly`` and ``ytd`` are exact
        ``Decimal`` (``None`` when missing); with ``scaled=True`` they are nullable ``Int64`` mantissas
        and a ``scale`` column gives the decimals (value = mantissa / 10**scale). Built from bulk C calls,
        not CSV text. Needs pandas, which zhibiao itself never requires.
        """
        return _frames_module().rollup_frame(self, level, region, period, indicators, scaled)

    def years(self) -> List[int]:
        """The years that have observations (or partials), ascending."""
        return _years(self._h())

    def export_partial(self, region: str, year: int) -> Partial:
        """The roll-up of ``region`` for ``year`` as a Partial another model loads as a leaf (needs a
        current roll-up; NotFoundError when the year has no data)."""
        h = self._h()
        n = self.size()[1] * 12
        monthly, ytd = array.array("q", bytes(8 * n)), array.array("q", bytes(8 * n))
        reporting, expected = array.array("i", bytes(4 * n)), (c_int32 * 12)()
        present = (c_uint8 * max(n, 1))()
        count = c_size_t(0)
        lib.zb_model_export_partial(h, region, year, n, (c_int64 * n).from_buffer(monthly),
                                    (c_int64 * n).from_buffer(ytd), (c_int32 * n).from_buffer(reporting), present,
                                    expected, byref(count))
        codes = tuple(self.indicator_info(i)[0] for i in range(n // 12))
        return Partial(region, year, codes, monthly, ytd, reporting, bytes(present)[:n], tuple(expected))

    def export_partials(self, region: str) -> List[Partial]:
        """``export_partial`` for every year of the model."""
        return [self.export_partial(region, year) for year in self.years()]

    def load_partial(self, partial: Partial) -> None:
        """Loads a Partial as a leaf whose roll-up is the partial's own: the levels above then add up the
        subtree exactly as the model it came from did, coverage included (ratios are recomputed from their
        parts). The region must exist here as a leaf in the months the partial has it; the indicators must
        be the same catalogue. All or nothing; call ``rollup()`` afterwards."""
        n = len(partial.monthly)
        if not (len(partial.ytd) == len(partial.reporting) == len(partial.present) == n) or len(partial.expected) != 12:
            raise ValueError("a Partial's arrays must have one length and expected 12 entries")
        lib.zb_model_load_partial(self._h(), partial.region, partial.year, "\n".join(partial.indicators), n,
                                  (c_int64 * n).from_buffer_copy(partial.monthly),
                                  (c_int64 * n).from_buffer_copy(partial.ytd),
                                  (c_int32 * n).from_buffer_copy(partial.reporting),
                                  (c_uint8 * max(n, 1)).from_buffer_copy(partial.present.ljust(max(n, 1), b"\0")),
                                  (c_int32 * 12)(*partial.expected))

    def load_partials(self, partials: Iterable[Partial]) -> None:
        """``load_partial`` for each; those before a failing one stay loaded."""
        for p in partials:
            self.load_partial(p)

    def write_rollup(self, path: PathLike) -> None:
        """Writes the roll-up CSV to a file."""
        lib.zb_model_write_rollup(self._h(), path)

    # ---- checks and reports -----------------------------------------------------------------------

    def check(self, as_of: Optional[str] = None, include_passes: bool = False) -> List[Finding]:
        """Evaluates targets, rules and built-in checks as of a month (default: the last month with data).

        Returns the findings as a list of :class:`Finding`; ``include_passes`` also lists passed rules.
        """
        h = self._h()
        findings = _lib.zb_findings()
        try:
            lib.zb_model_check(h, as_of, 1 if include_passes else 0, byref(findings))
            count = c_size_t(0)
            lib.zb_findings_count(findings, byref(count))
            result = []
            f = _lib.zb_finding()
            for k in range(count.value):
                lib.zb_findings_get(findings, k, byref(f))
                result.append(Finding(
                    check=decode(f.check), subject=decode(f.subject), region=decode(f.region),
                    region_name=decode(f.region_name), period=decode(f.period), severity=decode(f.severity),
                    status=decode(f.status), actual=_decimal_or_none(decode(f.actual)),
                    expected=_decimal_or_none(decode(f.expected)), message=decode(f.message),
                    completion=_decimal_or_none(decode(f.completion)), progress=_decimal_or_none(decode(f.progress)),
                    projected=_decimal_or_none(decode(f.projected))))
            return result
        finally:
            lib.zb_findings_destroy(byref(findings))  # NULL-safe; the strings were copied above

    def chart(self, kind: str, region: str, period: str, indicator: str) -> Chart:
        """One chart as SVG: ``kind`` is ``progress``, ``cap``, ``peers`` or ``yoy`` (see ``zhibiao chart --help``),
        from the loaded targets, as of the last month of ``period``."""
        out = c_void_p()
        try:
            lib.zb_model_chart(self._h(), kind, region, period, indicator, byref(out))
            return Chart(take_string(out) or "")
        finally:
            take_string(out)

    def table(self, region: str, period: str, indicators: Optional[Sequence[str]] = None,
              level: Optional[str] = None) -> List[Dict[str, Any]]:
        """The 报表 of ``region`` (or of every region of ``level`` under it) for ``period`` as rows: one dict per
        row with ``sheet`` (the parent's code), ``code``, ``name``, ``notes`` and ``indicator:column`` keys
        (``monthly``, ``cumulative``, ``yoy``, ``target``, ``completion``, ``progress``, ``status``,
        ``coverage``); numbers are exact ``Decimal``s, a missing value is ``None`` (never 0). The same table
        as ``zhibiao table``, from the library's one implementation."""
        out = c_void_p()
        try:
            lib.zb_model_table_csv(self._h(), region, period, None if indicators is None else ",".join(indicators), level, 1,
                                   byref(out))
            return _table_rows(take_string(out) or "")
        finally:
            take_string(out)

    def write_table(self, path: PathLike, region: str, period: str, indicators: Optional[Sequence[str]] = None,
                    level: Optional[str] = None, format: Optional[str] = None) -> None:
        """Writes the 报表 as an .xlsx workbook or CSV (``format`` ``xlsx`` or ``csv``; default: by the
        path's extension)."""
        lib.zb_model_write_table(self._h(), region, period, None if indicators is None else ",".join(indicators), level,
                                 format, os.fspath(path))

    def report(self, template_text: Union[str, bytes], region: str, period: str) -> Tuple[str, List[str]]:
        """Renders a report template for a region and period: ``(text, warnings)`` where ``warnings``
        lists the values that were missing."""
        data = encode_text(template_text, "template_text")
        out = c_void_p()
        warnings = c_void_p()
        try:
            lib.zb_model_report(self._h(), data, len(data), region,
                                period, byref(out), byref(warnings))
            text = take_string(out) or ""
            lines = [w for w in (take_string(warnings) or "").split("\n") if w]
            return text, lines
        finally:
            take_string(out)
            take_string(warnings)
