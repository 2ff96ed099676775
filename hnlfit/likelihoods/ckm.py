"""CKM first-row unitarity as a constraint on |U_e4| and |U_mu4| (2105.11462 Sec. 4.4).

Physics (2105.11462 eqs. 4.17-4.20, first order in |U|^2)
--------------------------------------------------------
A heavy sterile state that muon decay cannot produce lowers the muon width, so the Fermi
constant extracted from the muon lifetime is G_F^(mu) = G_F^(0) (1 - |U_mu|^2/2 - |U_e|^2/2)
(eq. 4.17).  Semileptonic rates normalised to G_F^(mu) then return shifted CKM elements::

    V_ud^{0+->0+}      = V_ud  (1 + |U_mu|^2 / 2)          (eq. 4.18, electron in final state)
    |V_us|^{K->pi e nu}  = |V_us| (1 + |U_mu|^2 / 2)          (eq. 4.19)
    |V_us|^{K->pi mu nu} = |V_us| (1 + |U_e|^2 / 2)           (eq. 4.20)
    |V_us / V_ud|^{K_mu2 / pi_mu2}                            unaffected

With three-generation unitarity imposed, V_ud = sqrt(1 - lambda^2) and |V_us| = lambda
(|V_ub|^2 ~ 1.5e-5 is neglected, as in the seed), lambda being a nuisance parameter.

Statistics
----------
chi2(lambda, U) is a sum of Gaussian terms:

* V_ud^{0+->0+}: value +- sigma (the data set chooses PDG or Towner-Hardy);
* K_l3: the measured |V_us| f_+(0) of each decay mode, divided by the lattice f_+(0).
  Modes of the same lepton are first averaged (inverse-variance, modes treated as
  uncorrelated).  The f_+(0) error is added either fully correlated between the electron
  and muon channels (``f_plus_correlated: true``, the correct treatment -- the same
  lattice number normalises both) or independently per channel (``false``, which is what
  reproduces the seed's quoted bounds; see the tests).  An input may also be a combined
  K_l3 average with fractional lepton weights, e.g. ``lepton: {e: 0.58, mu: 0.42}``:
  its prediction is lambda (1 + w_e |U_mu|^2/2 + w_mu |U_e|^2/2);
* K_mu2/pi_mu2: |V_us/V_ud| f_K/f_pi divided by the lattice f_K/f_pi, compared with
  lambda / sqrt(1 - lambda^2), experimental and lattice errors in quadrature.

The likelihood term is the profile
``Delta chi2(U_e, U_mu) = min_lambda chi2(lambda, U) - min_lambda chi2(lambda, 0)``,
exactly 0 at U_e = U_mu = 0.  lambda is profiled with vectorized Newton iterations
(analytic first and second derivatives; a Gauss-Newton curvature where the full one is
not positive), all points at once, starting from the no-HNL best fit.  A 95% CL one-sided
bound on one |U| (the other at 0) solves Delta chi2 = 2.71 (:meth:`CKMFirstRow.bound`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
from scipy.optimize import brentq

from ..errors import DataError
from ..observables.context import evaluation
from .schema import reference_text
from .terms import FunctionTerm

__all__ = ["CKMInputs", "CKMFirstRow", "CKMTerm", "parse_inputs", "ckm_model", "ckm_term"]

#: Delta chi2 of a one-sided 95% CL bound (Gaussian, 1 parameter): 1.645^2
DCHI2_95_ONE_SIDED = 2.71

_LAMBDA_MIN, _LAMBDA_MAX = 1e-6, 1.0 - 1e-6


@dataclass(frozen=True)
class CKMInputs:
    """Numbers entering the fit, after per-lepton averaging of the K_l3 modes."""

    vud: float
    vud_sigma: float
    vud_source: str
    kl3_value: np.ndarray        # |V_us| f_+(0), one per channel group
    kl3_sigma: np.ndarray        # experimental error of each group
    kl3_w_e: np.ndarray          # weight of the electron channel (shifted by |U_mu|^2)
    kl3_w_mu: np.ndarray         # weight of the muon channel (shifted by |U_e|^2)
    kl3_labels: tuple[str, ...]
    f_plus: float
    f_plus_sigma: float
    f_plus_correlated: bool
    kl2_value: float             # |V_us/V_ud| f_K/f_pi
    kl2_sigma: float
    fk_fpi: float
    fk_fpi_sigma: float


def _err(name: str, entry_name: str, msg: str) -> DataError:
    return DataError(f"entry {entry_name!r} (kind ckm_first_row): inputs.{name}: {msg}")


def _value_sigma(inputs: Mapping, key: str, entry_name: str) -> tuple[float, float]:
    item = inputs.get(key)
    if not isinstance(item, Mapping):
        raise _err(key, entry_name, "missing; need a mapping with 'value' and 'sigma'")
    try:
        value, sigma = float(item["value"]), float(item["sigma"])
    except KeyError as exc:
        raise _err(key, entry_name, f"missing {exc.args[0]!r}") from None
    except (TypeError, ValueError):
        raise _err(key, entry_name, "'value' and 'sigma' must be numbers") from None
    if not (np.isfinite(value) and value > 0 and np.isfinite(sigma) and sigma > 0):
        raise _err(key, entry_name, f"need value > 0 and sigma > 0, got {value}, {sigma}")
    return value, sigma


def _lepton_weights(lep: Any, where: str, entry_name: str) -> tuple[float, float]:
    if lep == "e":
        return 1.0, 0.0
    if lep == "mu":
        return 0.0, 1.0
    if isinstance(lep, Mapping) and set(lep) <= {"e", "mu"} and lep:
        try:
            we, wm = float(lep.get("e", 0.0)), float(lep.get("mu", 0.0))
        except (TypeError, ValueError):
            raise _err(where, entry_name, "lepton weights must be numbers") from None
        if we < 0 or wm < 0 or abs(we + wm - 1.0) > 1e-6:
            raise _err(where, entry_name, f"lepton weights must be >= 0 and sum to 1, "
                                          f"got e={we}, mu={wm}")
        return we, wm
    raise _err(where, entry_name, f"lepton must be 'e', 'mu' or a mapping of weights "
                                  f"{{e: w, mu: 1-w}}, got {lep!r}")


def parse_inputs(entry: Mapping) -> CKMInputs:
    """Read and check the ``inputs`` of a ``ckm_first_row`` entry (clear errors)."""
    name = entry.get("name", "?")
    inputs = entry.get("inputs")
    if not isinstance(inputs, Mapping):
        raise DataError(f"entry {name!r} (kind ckm_first_row) needs an 'inputs' mapping")

    # V_ud from superallowed 0+ -> 0+ decays: one of several sources
    sources = inputs.get("V_ud")
    if not isinstance(sources, Mapping) or not sources:
        raise _err("V_ud", name, "missing; need a mapping source -> {value, sigma}")
    source = inputs.get("V_ud_source", "PDG" if "PDG" in sources else next(iter(sources)))
    if source not in sources:
        raise _err("V_ud_source", name, f"{source!r} is not one of {sorted(sources)}")
    vud, vud_sigma = _value_sigma(sources, source, name)
    if vud >= 1.0:
        raise _err(f"V_ud.{source}", name, f"V_ud = {vud} must be < 1")

    # K_l3: |V_us| f_+(0) by mode, averaged per lepton channel
    kl3 = inputs.get("Kl3")
    modes = kl3.get("modes") if isinstance(kl3, Mapping) else None
    if not isinstance(modes, list) or not modes:
        raise _err("Kl3.modes", name, "missing; need a non-empty list of "
                                      "{mode, lepton, value, sigma}")
    groups: dict[tuple[float, float], list[tuple[float, float, str]]] = {}
    for i, m in enumerate(modes):
        where = f"Kl3.modes[{i}]"
        if not isinstance(m, Mapping):
            raise _err(where, name, "each mode must be a mapping")
        w = _lepton_weights(m.get("lepton"), where, name)
        v, s = _value_sigma({where: m}, where, name)
        groups.setdefault(w, []).append((v, s, str(m.get("mode", f"mode{i}"))))
    values, sigmas, w_e, w_mu, labels = [], [], [], [], []
    for (we, wm), items in groups.items():
        v = np.array([x[0] for x in items])
        s = np.array([x[1] for x in items])
        wt = 1.0 / s ** 2
        values.append(float(wt @ v / wt.sum()))
        sigmas.append(float(1.0 / np.sqrt(wt.sum())))
        w_e.append(we)
        w_mu.append(wm)
        labels.append("+".join(x[2] for x in items))

    f_plus, f_plus_sigma = _value_sigma(inputs, "f_plus_0", name)
    corr = inputs.get("f_plus_correlated", True)
    if not isinstance(corr, bool):
        raise _err("f_plus_correlated", name, f"must be true or false, got {corr!r}")
    kl2, kl2_sigma = _value_sigma(inputs, "Kl2", name)
    fk, fk_sigma = _value_sigma(inputs, "fK_over_fpi", name)
    return CKMInputs(vud=vud, vud_sigma=vud_sigma, vud_source=str(source),
                     kl3_value=np.array(values), kl3_sigma=np.array(sigmas),
                     kl3_w_e=np.array(w_e), kl3_w_mu=np.array(w_mu), kl3_labels=tuple(labels),
                     f_plus=f_plus, f_plus_sigma=f_plus_sigma, f_plus_correlated=corr,
                     kl2_value=kl2, kl2_sigma=kl2_sigma, fk_fpi=fk, fk_fpi_sigma=fk_sigma)


class CKMFirstRow:
    """chi2(lambda, U) of the first-row fit and its profile over lambda (vectorized).

    Numerics (per point, a handful of full-array passes)
    ----------------------------------------------------
    K_l3 block, completed square.  With k = 1 + a |U_mu|^2 + b |U_e|^2 per channel group
    (a = w_e/2, b = w_mu/2), chi2_Kl3 = (k lambda - y)^T W (k lambda - y)
    = A (lambda - lambda_0)^2 + N / A with A = k.W.k, lambda_0 = k.W.y / A and the
    Cauchy-Schwarz gap N = (y.W.y)(k.W.k) - (k.W.y)^2 >= 0.  Written out directly, N is a
    difference of two numbers of ~1e10 (the old A lambda^2 - 2 B lambda + C lost 10 digits
    the same way); instead, with D_ik = y_i k_k - k_i y_k (antisymmetric, linear in |U|^2,
    its constant part y_i - y_k computed exactly)::

        N = sum_{i<k, j<l} (W_ij W_kl - W_il W_kj) D_ik D_jl         (= det W D_12^2 for 2)

    a positive quadratic form in the D (the second compound of W), free of cancellation.

    Profile.  The rest, r1^2 + r4^2 + A (lambda - lambda_0)^2, is minimised by Newton from
    a quadratic Taylor predictor of lambda_hat in (|U_mu|^2, |U_e|^2) fitted at
    construction.  Once the Newton step is below STEP_TOL at every point of the array, the
    minimum is f - g^2/(2h), with an error of order (third derivative) * step^3 / 6 < 1e-14,
    so points with |U|^2 < ~1e-2 need a single evaluation of f, f', f''.
    """

    #: Newton steps below this (for every point) end the iteration
    STEP_TOL = 1e-7

    def __init__(self, inputs: CKMInputs, *, max_iter: int = 60, tol: float = 1e-14):
        self.inputs = inp = inputs
        self.max_iter, self.tol = max_iter, tol
        # K_l3 block in |V_us| units: y = (|V_us| f_+)/f_+, covariance with the f_+ error
        self._y = inp.kl3_value / inp.f_plus
        rel_f = inp.f_plus_sigma / inp.f_plus
        cov = np.diag((inp.kl3_sigma / inp.f_plus) ** 2)
        theory = np.outer(self._y, self._y) * rel_f ** 2
        cov = cov + (theory if inp.f_plus_correlated else np.diag(np.diag(theory)))
        self._W = np.linalg.inv(cov)
        self._we = inp.kl3_w_e
        self._wm = inp.kl3_w_mu
        self._setup_kl3()
        # K_mu2 / pi_mu2 block: t = lambda / sqrt(1 - lambda^2) against |V_us/V_ud|
        self._t = inp.kl2_value / inp.fk_fpi
        self._t_sigma = self._t * np.hypot(inp.kl2_sigma / inp.kl2_value,
                                           inp.fk_fpi_sigma / inp.fk_fpi)
        self._inv_s1 = float(1.0 / inp.vud_sigma)
        self._one_minus_vud2 = float((1.0 - inp.vud) * (1.0 + inp.vud))
        self._inv_s4 = float(1.0 / self._t_sigma)
        self._t = float(self._t)
        # no-HNL best fit: from the V_ud value, Newton to full precision
        lam_start = np.sqrt(1.0 - inp.vud ** 2)
        lam0, chi0 = self._newton(np.zeros(()), np.zeros(()), np.asarray(lam_start),
                                  step_tol=0.0)
        self.lambda_sm = float(lam0)
        self.chi2_min_sm = float(chi0)
        self._predictor = self._fit_predictor()

    # -- K_l3 block ------------------------------------------------------------------------
    def _setup_kl3(self) -> None:
        """Coefficients of A = k.W.k, B = k.W.y (polynomials in |U_mu|^2, |U_e|^2) and of
        the pair differences D_ik with the second compound of W (class docstring)."""
        W, y = self._W, self._y
        a, b = 0.5 * self._we, 0.5 * self._wm
        one = np.ones_like(y)
        # Python floats: a numpy scalar on the left of an array operation is ~5x slower
        self._A = tuple(float(v) for v in (one @ W @ one, 2 * (a @ W @ one),
                                           2 * (b @ W @ one), a @ W @ a, 2 * (a @ W @ b),
                                           b @ W @ b))
        self._B = tuple(float(v) for v in (one @ W @ y, a @ W @ y, b @ W @ y))
        n = len(y)
        pairs = [(i, k) for i in range(n) for k in range(i + 1, n)]
        # D_ik = (y_i - y_k) + |U_mu|^2 (y_i a_k - a_i y_k) + |U_e|^2 (y_i b_k - b_i y_k)
        self._D = [(float(y[i] - y[k]), float(y[i] * a[k] - a[i] * y[k]),
                    float(y[i] * b[k] - b[i] * y[k])) for i, k in pairs]
        self._M = np.array([[W[i, j] * W[k, l] - W[i, l] * W[k, j] for j, l in pairs]
                            for i, k in pairs]).reshape(len(pairs), len(pairs))

    def _kl3(self, um2, ue2):
        """(A, lambda_0, N/A) per point: chi2_Kl3 = A (lambda - lambda_0)^2 + N/A."""
        A00, A10, A01, A20, A11, A02 = self._A
        B0, Bm, Be = self._B
        A = A20 * um2 + (A11 * ue2 + A10)
        A *= um2
        A += (A02 * ue2 + A01) * ue2 + A00
        lam0 = Bm * um2 + Be * ue2
        lam0 += B0
        lam0 /= A
        D = [c0 + cm * um2 + ce * ue2 for c0, cm, ce in self._D]
        if not D:
            return A, lam0, np.zeros_like(A)
        if len(D) == 1:
            nmin = float(self._M[0, 0]) * (D[0] * D[0])
        else:
            nmin = sum(float(self._M[p, q]) * (D[p] * D[q]) for p in range(len(D))
                       for q in range(len(D)))
        nmin /= A
        return A, lam0, nmin

    # -- chi2 and its lambda derivatives -------------------------------------------------
    def _residuals(self, lam, half_um2):
        """r1 (V_ud), r4 (K_mu2/pi_mu2) and 1/s, s = sqrt(1 - lambda^2).

        s c - V_ud cancels to ~6e-4 of V_ud; it is computed as
        ((1 - V_ud)(1 + V_ud) - lambda^2)/(s + V_ud) + s (c - 1), exact to ~1e-14 relative
        where the direct difference keeps ~1e-13 (and r1^2 ~ 17 lost 2e-12 absolute)."""
        vud = self.inputs.vud
        l2 = lam * lam
        inv_s = 1.0 - l2
        np.sqrt(inv_s, out=inv_s)
        r1 = self._one_minus_vud2 - l2
        l2 += 1.0                               # reuse the buffer: s + V_ud
        np.add(inv_s, vud, out=l2)
        r1 /= l2
        np.multiply(half_um2, inv_s, out=l2)
        r1 += l2
        r1 *= self._inv_s1
        np.divide(1.0, inv_s, out=inv_s)
        r4 = lam * inv_s
        r4 -= self._t
        r4 *= self._inv_s4
        return r1, r4, inv_s

    def _fgh(self, lam, c_ud, kl3, half_um2=None):
        """chi2 (without N/A), d chi2/d lambda, d2 chi2/d lambda2 (full), Gauss-Newton h.

        r1 = (s c - V_ud)/sigma_1: r1' = -lambda c / (s sigma_1), r1'' = -c/(s^3 sigma_1);
        r4 = (lambda/s - t)/sigma_4: r4' = 1/(s^3 sigma_4), r4'' = 3 lambda/(s^5 sigma_4).
        """
        A, lam0, _ = kl3
        r1, r4, inv_s = self._residuals(lam, c_ud - 1.0 if half_um2 is None else half_um2)
        is2 = inv_s * inv_s
        ca = c_ud * inv_s
        ca *= -self._inv_s1                     # -c/(s sigma_1)
        d1 = ca * lam                           # r1'
        dd1 = ca * is2                          # r1''
        d4 = is2 * inv_s
        d4 *= self._inv_s4                      # r4'
        dd4 = 3.0 * lam * is2
        dd4 *= d4                               # r4''
        dl = lam - lam0
        f = r1 * r1
        f += r4 * r4
        g = A * dl
        f += g * dl
        g += r1 * d1
        g += r4 * d4
        g *= 2.0
        h_gn = d1 * d1
        h_gn += d4 * d4
        h_gn += A
        h_gn *= 2.0
        h = r1 * dd1
        h += r4 * dd4
        h *= 2.0
        h += h_gn
        return f, g, h, h_gn

    def chi2(self, lam, U_e, U_mu) -> np.ndarray:
        """chi2(lambda, U) (not profiled, not shifted); broadcasts its arguments."""
        lam, ue, um = np.broadcast_arrays(*(np.asarray(x, dtype=np.float64)
                                            for x in (lam, U_e, U_mu)))
        shape = lam.shape
        lam, ue, um = (a.reshape(-1) for a in (lam, ue, um))
        um2, ue2 = um * um, ue * ue
        A, lam0, nmin = self._kl3(um2, ue2)
        r1, r4, _ = self._residuals(lam, 0.5 * um2)
        return (r1 * r1 + r4 * r4 + A * (lam - lam0) ** 2 + nmin).reshape(shape)

    def _newton(self, um2, ue2, lam, step_tol: float):
        """(lambda_hat, min chi2) by Newton from ``lam`` (class docstring); step_tol = 0
        iterates until the step is below ``tol`` (the no-HNL fit, the predictor fit)."""
        shape = np.broadcast_shapes(np.shape(lam), np.shape(um2), np.shape(ue2))
        if not shape:          # at least 1-d inside: in-place operations need arrays
            um2, ue2, lam = (np.reshape(a, (1,)) for a in (um2, ue2, lam))
        kl3 = self._kl3(um2, ue2)
        half_um2 = 0.5 * um2
        c_ud = half_um2 + 1.0
        lam = np.array(np.broadcast_to(lam, np.broadcast_shapes(np.shape(lam),
                                                                kl3[0].shape)),
                       dtype=np.float64)
        for _ in range(self.max_iter):
            f, g, h, h_gn = self._fgh(lam, c_ud, kl3, half_um2)
            if not h.min() > 0.0:               # far from the minimum: Gauss-Newton there
                h = np.where(h > 0.0, h, h_gn)
            step = g / h
            big = max(step.max(), -step.min()) if step.size else 0.0
            lam -= step
            if big <= step_tol:                 # the quadratic model's minimum
                step *= g
                step *= 0.5
                f -= step                       # f - g^2 / 2h
                break
            if lam.size and (lam.min() < _LAMBDA_MIN or lam.max() > _LAMBDA_MAX):
                np.clip(lam, _LAMBDA_MIN, _LAMBDA_MAX, out=lam)
            if big <= self.tol:
                f = self._fgh(lam, c_ud, kl3, half_um2)[0]
                break
        f += kl3[2]
        return lam.reshape(shape), f.reshape(shape)

    def _fit_predictor(self):
        """Coefficients of lambda_hat ~ lambda_sm + J.u + u.H.u/2, u = (|U_mu|^2, |U_e|^2),
        from central differences (step 1e-3) of the full-precision profile."""
        h = 1e-3
        pts = np.array([(0, 0), (h, 0), (-h, 0), (0, h), (0, -h), (h, h), (h, -h), (-h, h),
                        (-h, -h)], dtype=np.float64)
        lam, _ = self._newton(pts[:, 0], pts[:, 1], self.lambda_sm, step_tol=0.0)
        l0, m_p, m_m, e_p, e_m, pp, pm, mp, mm = lam
        jm, je = (m_p - m_m) / (2 * h), (e_p - e_m) / (2 * h)
        hmm, hee = (m_p - 2 * l0 + m_m) / h ** 2, (e_p - 2 * l0 + e_m) / h ** 2
        hme = (pp - pm - mp + mm) / (4 * h * h)
        return tuple(float(v) for v in (self.lambda_sm, jm, je, 0.5 * hmm, hme, 0.5 * hee))

    def _start(self, um2, ue2):
        l0, jm, je, hmm, hme, hee = self._predictor
        lam = hmm * um2 + (hme * ue2 + jm)
        lam *= um2
        lam += (hee * ue2 + je) * ue2 + l0
        if lam.size and (lam.min() < _LAMBDA_MIN or lam.max() > _LAMBDA_MAX):
            np.clip(lam, _LAMBDA_MIN, _LAMBDA_MAX, out=lam)    # |U| ~ 1: far from the SM
        return lam

    def profile(self, U_e, U_mu) -> tuple[np.ndarray, np.ndarray]:
        """(lambda_hat, min_lambda chi2) at each point; arrays broadcast together."""
        ue = np.asarray(U_e, dtype=np.float64)
        um = np.asarray(U_mu, dtype=np.float64)
        um2, ue2 = um * um, ue * ue
        return self._newton(um2, ue2, self._start(um2, ue2), self.STEP_TOL)

    def delta_chi2(self, U_e, U_mu) -> np.ndarray:
        """min_lambda chi2(lambda, U) - min_lambda chi2(lambda, 0); exactly 0 at U = 0."""
        ue = np.asarray(U_e, dtype=np.float64)
        um = np.asarray(U_mu, dtype=np.float64)
        _, chi = self.profile(ue, um)
        chi -= self.chi2_min_sm
        zero = (ue == 0.0) & (um == 0.0)
        if zero.any():
            chi = np.where(zero, 0.0, chi)
        return chi

    def bound(self, flavour: str, delta_chi2: float = DCHI2_95_ONE_SIDED,
              u_max: float = 1.0) -> float:
        """|U_flavour| where Delta chi2 (other mixing 0) reaches ``delta_chi2``.

        The default 2.71 is the one-sided 95% CL of the seed (counted from U = 0).
        Returns ``inf`` if Delta chi2 stays below the threshold up to ``u_max``.
        """
        if flavour not in ("e", "mu"):
            raise ValueError(f"flavour must be 'e' or 'mu', got {flavour!r}")

        def f(u):
            args = (u, 0.0) if flavour == "e" else (0.0, u)
            return float(self.delta_chi2(*args)) - delta_chi2

        grid = np.geomspace(1e-5, u_max, 200)
        vals = self.delta_chi2(grid, 0.0) if flavour == "e" else self.delta_chi2(0.0, grid)
        above = np.nonzero(vals >= delta_chi2)[0]
        if above.size == 0:
            return float("inf")
        i = int(above[0])
        if i == 0:
            return float(brentq(f, 0.0, grid[0], xtol=1e-14))
        return float(brentq(f, grid[i - 1], grid[i], xtol=1e-14))

    def describe(self) -> str:
        inp = self.inputs
        kl3 = ", ".join(f"{lab}: {v:.5f}({1e5 * s:.0f})"
                        for lab, v, s in zip(inp.kl3_labels, inp.kl3_value, inp.kl3_sigma))
        return (f"V_ud({inp.vud_source}) = {inp.vud:.5f}({1e5 * inp.vud_sigma:.0f}); "
                f"|V_us| f+(0) [{kl3}]; f+(0) = {inp.f_plus} +- {inp.f_plus_sigma}, "
                f"{'correlated' if inp.f_plus_correlated else 'uncorrelated'} between "
                f"channels; |V_us/V_ud| fK/fpi = {inp.kl2_value} +- {inp.kl2_sigma}, "
                f"fK/fpi = {inp.fk_fpi} +- {inp.fk_fpi_sigma}; lambda_SM = "
                f"{self.lambda_sm:.5f}, chi2_min(SM) = {self.chi2_min_sm:.2f}")


class CKMTerm(FunctionTerm):
    """The CKM first-row likelihood term; ``.model`` is the :class:`CKMFirstRow`.

    It reads U_e and U_mu with their broadcast axes collapsed (a mixing given as one number
    is profiled once, not once per point) and costs nothing where both vanish."""

    def __init__(self, name: str, model: CKMFirstRow, reference: str = ""):
        self.model = model
        super().__init__(
            name,
            lambda p: self._profiled(p)[1],
            parameters=("U_e", "U_mu"),
            reference=reference,
            describe=model.describe(),
            prediction=lambda p: self._profiled(p)[0],  # fitted |V_us|
        )

    def _profiled(self, point) -> tuple[np.ndarray, np.ndarray]:
        """(lambda_hat, Delta chi2) at the point, once per evaluation."""
        ev = evaluation(point)
        return ev.shared(("ckm_first_row", id(self.model)), lambda: self._compute(ev))

    def _compute(self, ev) -> tuple[np.ndarray, np.ndarray]:
        shape = ev.shape
        if ev.vanishes("U_e") and ev.vanishes("U_mu"):
            return np.full(shape, self.model.lambda_sm), np.zeros(shape)
        ue, um = ev.compact("U_e"), ev.compact("U_mu")
        lam, chi = self.model.profile(ue, um)
        chi -= self.model.chi2_min_sm
        zero = (ue == 0.0) & (um == 0.0)
        if zero.any():
            chi = np.where(zero, 0.0, chi)
        if chi.shape != shape:
            lam, chi = (np.broadcast_to(a, shape).copy() for a in (lam, chi))
        return lam, chi

    def bound(self, flavour: str, delta_chi2: float = DCHI2_95_ONE_SIDED) -> float:
        return self.model.bound(flavour, delta_chi2)


def ckm_model(entry: Mapping) -> CKMFirstRow:
    """The :class:`CKMFirstRow` fit of a ``ckm_first_row`` entry."""
    return CKMFirstRow(parse_inputs(entry))


def ckm_term(entry: Mapping) -> CKMTerm:
    """Likelihood term of a ``ckm_first_row`` measurement entry (see module docstring)."""

    return CKMTerm(entry["name"], ckm_model(entry), reference=reference_text(entry))
