"""Expected signal counts of HNLs from meson and W/Z decays at forward far detectors
(2308.16608; W/Z: seed 002, 2302.02081).

``n_events_<detector>`` for the shipped detectors FASER (Run 3, 150 fb⁻¹), FASER2, FACET
(HL-LHC, 3000 fb⁻¹) and MAPP2 (300 fb⁻¹), and ``n_events_far_detector`` for any detector
YAML (``detector=<name or path>``): the number of N → νγ decays inside the decay volume with
p_N > p_min (eq. 3.3), from the project's Pythia spectra, the meson → N branching ratios
(eqs. 2.10-2.18) and the total HNL width of all dipoles of the point.  Physics, choices and
speed design: :mod:`hnlfit.physics.far_detectors`.

Arguments (all observables):
  ``normalise``          "seed003_heavy" (default): Pythia's light-meson spectra and totals,
                         D, D_s, B, J/ψ, Υ scaled to seed 003 Table 1 (their LO / NRQCD
                         Pythia totals are uncertain by factors of a few: J/ψ is 4x Table 1,
                         and J/ψ gives a third to a half of the events near the seed's
                         sensitivity tips); "none" (Pythia's totals for all); "seed003"
                         (every meson scaled to Table 1);
  ``include_conjugate``  True (default): both ν N̄ and ν̄ N from neutral mesons (Dirac N);
                         False: the single channel of eqs. 2.10/2.14;
  ``charged_light``      "exclude" (default): no π±/K± (they decay far from the IP);
                         "ip": decays at the IP; a number: decay within that many metres;
  ``p0_norm``            "gammagamma" (default) or "seed" (see ``br_pi0_to_N``);
  ``luminosity_fb``      None: the detector's own integrated luminosity;
  ``production``         "all" (default): meson decays and on-shell W → ℓN, Z → νN
                         (through d_W, d_Z; :mod:`hnlfit.physics.wz_production`);
                         "mesons": meson decays only (seed 003, the behaviour before W/Z);
                         "bosons": W/Z only;
  ``boson_normalise``    "nnlo" (default): W±, Z totals scaled to the NNLO cross sections of
                         hnlfit/data/ew_boson_xsec_14TeV.yaml; "none": Pythia's LO totals;
  ``angular``            "polarised" (default): W/Z → N decay distribution of a boson
                         polarised transversely along the beam (Collins-Soper axis) plus
                         the O(α_s) longitudinal part at its p_T; "transverse": without
                         it; "isotropic": flat in the boson rest frame.
"""
from __future__ import annotations

from ...physics.forward import detectors as D
from ...physics.forward import far_detectors as fd
from ..registry import observable

_F = ("e", "mu", "tau")
_PARAMS = ("m_N",) + tuple(f"d_{k}_{f}" for k in ("gamma", "Z", "W") for f in _F)
_REFS = ("2308.16608 eqs. 2.10-2.19, 3.3-3.4", "2302.02081 (W/Z production)",
         "hnlfit Pythia 8 spectra (hnlfit/data/spectra)")
_ARGS = {"normalise": "seed003_heavy", "include_conjugate": True, "charged_light": "exclude",
         "p0_norm": "gammagamma", "luminosity_fb": None, "production": "all",
         "boson_normalise": "nnlo", "angular": "polarised"}


def _count(detector, p, **opts):
    """The registry passes every argument of _ARGS (defaults merged), so no defaults here."""
    opts["include_conjugate"] = bool(opts["include_conjugate"])
    return fd.expected_events_point(detector, p, **opts)


def _register(name: str) -> None:
    det = D.get_detector(name)

    @observable(f"n_events_{name}", unit="events", tex=rf"N_\mathrm{{{name}}}",
                params=_PARAMS, refs=_REFS + tuple(r.get("arxiv", r.get("note", ""))
                                                   for r in det.references[:1]),
                sm=0.0, args=dict(_ARGS),
                description=f"expected N -> nu gamma decays in {name} from meson and W/Z "
                            f"decays ({det.luminosity_fb:g} fb^-1, p_N > {det.p_min:g} GeV)")
    def n_events(p, _name=name, **opts):
        return _count(_name, p, **opts)


for _name in ("FASER", "FASER2", "FACET", "MAPP2"):
    _register(_name)


@observable("n_events_far_detector", unit="events", tex=r"N_\mathrm{det}", params=_PARAMS,
            refs=_REFS, sm=0.0, args={"detector": None, **_ARGS},
            description="expected N -> nu gamma decays in any detector YAML (name or path)")
def n_events_far_detector(p, detector=None, **opts):
    from ...errors import ObservableError
    if detector is None:
        raise ObservableError("observable 'n_events_far_detector' needs the argument "
                              "'detector' (a shipped detector name or a YAML path)")
    return _count(D.load_detector(detector), p, **opts)


def _register_abs(f: str) -> None:
    @observable(f"abs_d_gamma_{f}", unit="GeV^-1", tex=rf"|d_\gamma^{{{f}}}|",
                params=("m_N", f"d_gamma_{f}"), refs=("2308.16608 eq. 2.1",), sm=0.0,
                description=f"|d_gamma^{f}|, for limits quoted directly on the dipole")
    def abs_d(p, _f=f):
        return abs(p[f"d_gamma_{_f}"]) + 0.0 * p["m_N"]


for _f in _F:
    _register_abs(_f)
