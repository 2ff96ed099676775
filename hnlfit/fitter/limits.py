"""Delta chi2 thresholds, 1-d limits and 2-d contours.

Conventions
-----------
* Thresholds follow Wilks' theorem: ``Delta chi2 = chi2.ppf(cl, dof)`` -- 3.84 (1 dof) and
  5.99 (2 dof) at 95% CL.  A *one-sided* 1-dof limit (a bound on a parameter whose sign is
  physical, e.g. a coupling >= 0) uses ``chi2.ppf(2 cl - 1, 1) = z_cl**2``, 2.71 at 95% CL.
* ``reference`` says what Delta chi2 is counted from:

  - ``"from_minimum"`` -- chi2 minus its minimum over the scanned region (the usual
    confidence region around the best fit; a preferred band where the data favour an
    HNL effect);
  - ``"from_sm"`` -- chi2 as is, i.e. relative to the no-HNL point (every term is defined
    as -2 ln L relative to it): an exclusion of the parameter point against the SM.

Every result carries ``threshold``, ``cl``, ``dof``, ``one_sided`` and ``reference`` so a
plot or a table can state what was drawn.  An explicit numeric threshold may be passed
instead of a CL; the CL is then the one it corresponds to for the stated dof.

Contours use contourpy, the engine behind matplotlib's ``contour``, without drawing.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy import stats

__all__ = ["Threshold", "delta_chi2_threshold", "make_threshold", "delta_chi2", "Limit1D",
           "Contour2D", "limit_1d", "contour_2d", "REFERENCES"]

REFERENCES = ("from_minimum", "from_sm")


def delta_chi2_threshold(cl: float = 0.95, dof: int = 1, one_sided: bool = False) -> float:
    """Delta chi2 at confidence level ``cl`` for ``dof`` degrees of freedom.

    3.841 (cl=0.95, dof=1), 5.991 (dof=2); ``one_sided=True`` (dof 1 only) gives 2.706.
    """
    if not 0.0 < cl < 1.0:
        raise ValueError(f"confidence level cl={cl} must be in (0, 1)")
    if int(dof) != dof or dof < 1:
        raise ValueError(f"dof must be a positive integer, got {dof}")
    if one_sided:
        if dof != 1:
            raise ValueError("a one-sided threshold is defined for 1 dof only")
        if cl <= 0.5:
            raise ValueError(f"a one-sided threshold needs cl > 0.5, got {cl}")
        return float(stats.chi2.ppf(2.0 * cl - 1.0, 1))
    return float(stats.chi2.ppf(cl, int(dof)))


@dataclass(frozen=True)
class Threshold:
    """A Delta chi2 threshold and what it means."""

    value: float
    cl: float
    dof: int
    one_sided: bool = False
    reference: str = "from_minimum"

    def __post_init__(self):
        if self.reference not in REFERENCES:
            raise ValueError(f"reference must be one of {REFERENCES}, got {self.reference!r}")

    def describe(self) -> str:
        side = ", one-sided" if self.one_sided else ""
        ref = "from the minimum" if self.reference == "from_minimum" else "from the no-HNL point"
        return (f"Delta chi2 = {self.value:.3f} ({100 * self.cl:.4g}% CL, {self.dof} dof{side}, "
                f"{ref})")


def make_threshold(threshold: float | Threshold | None = None, *, cl: float = 0.95,
                   dof: int = 1, one_sided: bool = False,
                   reference: str = "from_minimum") -> Threshold:
    """A :class:`Threshold` from a CL (default) or from an explicit Delta chi2 value."""
    if isinstance(threshold, Threshold):
        return threshold
    if threshold is None:
        return Threshold(delta_chi2_threshold(cl, dof, one_sided), cl, int(dof), one_sided,
                         reference)
    value = float(threshold)
    if not value > 0:
        raise ValueError(f"threshold must be > 0, got {value}")
    if one_sided:  # value = z**2  ->  cl = Phi(z)
        implied = float(stats.norm.cdf(np.sqrt(value)))
    else:
        implied = float(stats.chi2.cdf(value, int(dof)))
    return Threshold(value, implied, int(dof), one_sided, reference)


def delta_chi2(chi2: np.ndarray, reference: str = "from_minimum") -> np.ndarray:
    """Delta chi2 counted from the minimum (NaN ignored) or from the no-HNL point."""
    chi2 = np.asarray(chi2, dtype=np.float64)
    if reference == "from_minimum":
        if chi2.size == 0 or np.all(np.isnan(chi2)):
            return chi2.copy()
        return chi2 - np.nanmin(chi2)
    if reference == "from_sm":
        return chi2.copy()
    raise ValueError(f"reference must be one of {REFERENCES}, got {reference!r}")


@dataclass
class Limit1D:
    """Where Delta chi2 crosses the threshold along one axis.

    ``crossings`` are sorted x values; ``rising[i]`` is True where Delta chi2 goes from
    allowed (below) to excluded (above) with increasing x.  ``intervals`` are the allowed
    ranges ``(lo, hi)``; an end that is the edge of the scanned range, not a crossing, is
    flagged in ``open_ends`` as ``(lo_is_edge, hi_is_edge)``.
    """

    crossings: np.ndarray
    rising: np.ndarray
    intervals: list[tuple[float, float]]
    open_ends: list[tuple[bool, bool]]
    threshold: float
    cl: float
    dof: int
    one_sided: bool
    reference: str
    x_min: float | None = None  # x at the minimum of chi2
    log_x: bool = False

    @property
    def upper(self) -> float | None:
        """Largest crossing where Delta chi2 rises (an upper limit), else None."""
        r = self.crossings[self.rising]
        return float(r.max()) if r.size else None

    @property
    def lower(self) -> float | None:
        """Smallest crossing where Delta chi2 falls (a lower limit), else None."""
        f = self.crossings[~self.rising]
        return float(f.min()) if f.size else None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["crossings"] = self.crossings.tolist()
        d["rising"] = self.rising.tolist()
        d["upper"], d["lower"] = self.upper, self.lower
        return d


@dataclass
class Contour2D:
    """Contour lines of Delta chi2 = threshold: a list of (N, 2) arrays of (x, y).

    A closed line repeats its first point at the end.  ``reference`` etc. as in
    :class:`Limit1D`.  ``inside_is_allowed`` says Delta chi2 < threshold at the minimum.
    """

    lines: list[np.ndarray]
    threshold: float
    cl: float
    dof: int
    one_sided: bool
    reference: str
    x_name: str = "x"
    y_name: str = "y"
    log_x: bool = False
    log_y: bool = False
    meta: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self):
        return iter(self.lines)

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k != "lines"}
        d["lines"] = [ln.tolist() for ln in self.lines]
        return d


def _prep(x, log: bool, what: str) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if log:
        if np.any(x <= 0):
            raise ValueError(f"log_{what}=True needs {what} > 0")
        return np.log10(x)
    return x


def limit_1d(x, chi2, threshold: float | Threshold | None = None, *, cl: float = 0.95,
             dof: int = 1, one_sided: bool = False, reference: str = "from_minimum",
             log_x: bool = False) -> Limit1D:
    """Crossings of Delta chi2 with the threshold by linear interpolation between samples.

    ``x`` must be sorted increasing (or decreasing, it is sorted).  NaN samples break the
    curve: no crossing is interpolated across them.  ``log_x`` interpolates in log10(x),
    better for log-spaced scans.
    """
    thr = make_threshold(threshold, cl=cl, dof=dof, one_sided=one_sided, reference=reference)
    x = np.asarray(x, dtype=np.float64)
    d = delta_chi2(chi2, reference)
    if x.ndim != 1 or d.shape != x.shape:
        raise ValueError(f"x and chi2 must be 1-d of equal length, got {x.shape}, {d.shape}")
    order = np.argsort(x, kind="stable")
    x, d = x[order], d[order]
    u = _prep(x, log_x, "x")
    f = d - thr.value
    crossings, rising = [], []
    for i in range(len(x) - 1):
        a, b = f[i], f[i + 1]
        if np.isnan(a) or np.isnan(b):
            continue
        if (a <= 0 < b) or (a > 0 >= b):
            t = a / (a - b)
            uc = u[i] + t * (u[i + 1] - u[i])
            crossings.append(10 ** uc if log_x else uc)
            rising.append(b > a)
    crossings_arr = np.array(crossings, dtype=np.float64)
    rising_arr = np.array(rising, dtype=bool)
    # allowed intervals: walk along x, opening at a falling crossing (or an allowed edge)
    intervals, open_ends = [], []
    valid = ~np.isnan(f)
    if valid.any():
        first = int(np.argmax(valid))
        start = x[first] if f[first] <= 0 else None
        start_edge = start is not None
        for c, r in zip(crossings_arr, rising_arr):
            if r and start is not None:
                intervals.append((float(start), float(c)))
                open_ends.append((start_edge, False))
                start = None
            elif not r:
                start, start_edge = c, False
        if start is not None:
            last = len(x) - 1 - int(np.argmax(valid[::-1]))
            intervals.append((float(start), float(x[last])))
            open_ends.append((start_edge, True))
    x_min = None
    if not np.all(np.isnan(d)):
        x_min = float(x[int(np.nanargmin(d))])
    return Limit1D(crossings_arr, rising_arr, intervals, open_ends, thr.value, thr.cl,
                   thr.dof, thr.one_sided, thr.reference, x_min=x_min, log_x=log_x)


def contour_2d(x, y, chi2, threshold: float | Threshold | None = None, *, cl: float = 0.95,
               dof: int = 2, one_sided: bool = False, reference: str = "from_minimum",
               log_x: bool = False, log_y: bool = False, x_name: str = "x",
               y_name: str = "y") -> Contour2D:
    """Lines where Delta chi2 equals the threshold on a grid ``chi2[i, j]`` at
    ``(x[i], y[j])`` ("ij" indexing, as :class:`~hnlfit.fitter.scan.ScanResult` stores it).

    ``log_x``/``log_y`` contour in log10 of the axis (straighter lines on log grids) and
    map the points back.  NaN cells are masked.  Returns a :class:`Contour2D`.
    """
    import contourpy

    thr = make_threshold(threshold, cl=cl, dof=dof, one_sided=one_sided, reference=reference)
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    d = delta_chi2(chi2, reference)
    if d.shape != (x.size, y.size):
        raise ValueError(f"chi2 must have shape (len(x), len(y)) = {(x.size, y.size)}, got "
                         f"{d.shape}")
    u, v = _prep(x, log_x, "x"), _prep(y, log_y, "y")
    z = np.ma.masked_invalid(d.T)  # contourpy: z[j, i] at (x[i], y[j])
    gen = contourpy.contour_generator(u, v, z, line_type=contourpy.LineType.Separate)
    lines = []
    for ln in gen.lines(thr.value):
        ln = np.array(ln, dtype=np.float64)
        if log_x:
            ln[:, 0] = 10 ** ln[:, 0]
        if log_y:
            ln[:, 1] = 10 ** ln[:, 1]
        lines.append(ln)
    return Contour2D(lines, thr.value, thr.cl, thr.dof, thr.one_sided, thr.reference,
                     x_name=x_name, y_name=y_name, log_x=log_x, log_y=log_y)
