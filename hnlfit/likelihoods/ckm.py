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
    """chi2(lambda, U) of the first-row fit and its profile over lambda (vectorized)."""

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
        # K_mu2 / pi_mu2 block: t = lambda / sqrt(1 - lambda^2) against |V_us/V_ud|
        self._t = inp.kl2_value / inp.fk_fpi
        self._t_sigma = self._t * np.hypot(inp.kl2_sigma / inp.kl2_value,
                                           inp.fk_fpi_sigma / inp.fk_fpi)
        # no-HNL best fit: start from the V_ud value, then Newton
        lam_start = np.sqrt(1.0 - inp.vud ** 2)
        lam0, chi0 = self._profile(np.zeros(()), np.zeros(()), np.asarray(lam_start))
        self.lambda_sm = float(lam0)
        self.chi2_min_sm = float(chi0)

    # -- chi2 and its lambda derivatives -------------------------------------------------
    def _kl3_block(self, ue2, um2):
        """K_l3 quadratic form in lambda: chi2_Kl3 = A lambda^2 - 2 B lambda + C with
        k = 1 + w_e |U_mu|^2/2 + w_mu |U_e|^2/2 per channel, A = k.W.k, B = k.W.y, C = y.W.y.
        k is linear in (|U_mu|^2, |U_e|^2), so A and B are quadratic polynomials in them
        whose coefficients are computed once: no channel loop inside the Newton iterations."""
        W, y = self._W, self._y
        a, b = 0.5 * self._we, 0.5 * self._wm
        one = np.ones_like(y)
        A = (one @ W @ one + 2 * um2 * (a @ W @ one) + 2 * ue2 * (b @ W @ one)
             + um2 * um2 * (a @ W @ a) + 2 * um2 * ue2 * (a @ W @ b) + ue2 * ue2 * (b @ W @ b))
        B = one @ W @ y + um2 * (a @ W @ y) + ue2 * (b @ W @ y)
        return A, B, float(y @ W @ y)

    def _pieces(self, lam, um2, kl3):
        """chi2, d chi2/d lambda, d2 chi2/d lambda2 (full) and the Gauss-Newton curvature."""
        inp = self.inputs
        s = np.sqrt(1.0 - lam * lam)
        # V_ud^{0+->0+} = sqrt(1 - lambda^2) (1 + |U_mu|^2/2)
        c_ud = 1.0 + 0.5 * um2
        r1 = (s * c_ud - inp.vud) / inp.vud_sigma
        d1 = -lam / s * c_ud / inp.vud_sigma
        dd1 = -c_ud / (s ** 3) / inp.vud_sigma
        # K_l3 channels: lambda (1 + w_e |U_mu|^2/2 + w_mu |U_e|^2/2), see _kl3_block
        A, B, C = kl3
        chi3 = (A * lam - 2.0 * B) * lam + C
        g3 = 2.0 * (A * lam - B)
        h3 = 2.0 * A
        # K_mu2/pi_mu2: lambda / sqrt(1 - lambda^2)
        r4 = (lam / s - self._t) / self._t_sigma
        d4 = 1.0 / s ** 3 / self._t_sigma
        dd4 = 3.0 * lam / s ** 5 / self._t_sigma
        chi2 = r1 * r1 + chi3 + r4 * r4
        grad = 2.0 * (r1 * d1 + r4 * d4) + g3
        h_gn = 2.0 * (d1 * d1 + d4 * d4) + h3
        h_full = h_gn + 2.0 * (r1 * dd1 + r4 * dd4)
        return chi2, grad, h_full, h_gn

    def chi2(self, lam, U_e, U_mu) -> np.ndarray:
        """chi2(lambda, U) (not profiled, not shifted); broadcasts its arguments."""
        lam, ue, um = np.broadcast_arrays(*(np.asarray(x, dtype=np.float64)
                                            for x in (lam, U_e, U_mu)))
        return self._pieces(lam, um * um, self._kl3_block(ue * ue, um * um))[0]

    def _profile(self, U_e, U_mu, lam_start):
        ue2 = np.asarray(U_e, dtype=np.float64) ** 2
        um2 = np.asarray(U_mu, dtype=np.float64) ** 2
        ue2, um2 = np.broadcast_arrays(ue2, um2)
        kl3 = self._kl3_block(ue2, um2)
        lam = np.broadcast_to(np.asarray(lam_start, dtype=np.float64), ue2.shape).copy()
        for _ in range(self.max_iter):
            _, grad, h_full, h_gn = self._pieces(lam, um2, kl3)
            h = np.where(h_full > 0.0, h_full, h_gn)
            step = -grad / h
            new = np.clip(lam + step, _LAMBDA_MIN, _LAMBDA_MAX)
            done = np.max(np.abs(new - lam), initial=0.0) <= self.tol
            lam = new
            if done:
                break
        return lam, self._pieces(lam, um2, kl3)[0]

    def profile(self, U_e, U_mu) -> tuple[np.ndarray, np.ndarray]:
        """(lambda_hat, min_lambda chi2) at each point; arrays broadcast together."""
        return self._profile(U_e, U_mu, self.lambda_sm)

    def delta_chi2(self, U_e, U_mu) -> np.ndarray:
        """min_lambda chi2(lambda, U) - min_lambda chi2(lambda, 0); exactly 0 at U = 0."""
        ue = np.asarray(U_e, dtype=np.float64)
        um = np.asarray(U_mu, dtype=np.float64)
        _, chi = self.profile(ue, um)
        zero = (ue == 0.0) & (um == 0.0)
        return np.where(zero, 0.0, chi - self.chi2_min_sm)

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
    """The CKM first-row likelihood term; ``.model`` is the :class:`CKMFirstRow`."""

    def __init__(self, name: str, model: CKMFirstRow, reference: str = ""):
        self.model = model
        super().__init__(
            name,
            lambda p: model.delta_chi2(p["U_e"], p["U_mu"]),
            parameters=("U_e", "U_mu"),
            reference=reference,
            describe=model.describe(),
            prediction=lambda p: model.profile(p["U_e"], p["U_mu"])[0],  # fitted |V_us|
        )

    def bound(self, flavour: str, delta_chi2: float = DCHI2_95_ONE_SIDED) -> float:
        return self.model.bound(flavour, delta_chi2)


def ckm_model(entry: Mapping) -> CKMFirstRow:
    """The :class:`CKMFirstRow` fit of a ``ckm_first_row`` entry."""
    return CKMFirstRow(parse_inputs(entry))


def ckm_term(entry: Mapping) -> CKMTerm:
    """Likelihood term of a ``ckm_first_row`` measurement entry (see module docstring)."""

    return CKMTerm(entry["name"], ckm_model(entry), reference=reference_text(entry))
