"""Regenerate the numbers of the e+e- monophoton projections (CEPC, FCC-ee).

For each projection analysis of hnlfit/data/monophoton_analyses.yaml: the SM nu nu-bar gamma
background inside its cuts (hnlfit.physics.dipole.nunugamma), the expected count b = sigma L, and the
Asimov expected 95% CL (one-sided) upper limit on the signal count, s95 = 1.645 sqrt(b)
(statistics only).  Paste the output into
hnlfit/likelihoods/data/dipole/ee_colliders_{seed,current}/ee_projections.yaml; tests/test_projections.py checks
that the shipped numbers agree with this computation.

    python tools/monophoton_projections.py
"""
import math

from hnlfit.physics.dipole import monophoton as mp
from hnlfit.physics.dipole import nunugamma as nn

PROJECTIONS = ("cepc_Z", "cepc_WW", "cepc_H", "cepc_tt", "fccee_Z")


def numbers(name: str) -> dict:
    an = mp.get_analysis(name)
    lumi_pb = an.luminosity_fb * 1e3
    sigma_b = nn.sigma_background(an)
    b = sigma_b * lumi_pb
    return {"analysis": name, "sqrt_s": an.sqrt_s, "lumi_pb": lumi_pb, "sigma_b_pb": sigma_b,
            "b": b, "s95": 1.645 * math.sqrt(b)}


if __name__ == "__main__":
    for n in PROJECTIONS:
        r = numbers(n)
        print(f"{n:8s} sqrt(s) = {r['sqrt_s']:6.1f} GeV  L = {r['lumi_pb']:.3e} pb^-1  "
              f"sigma(nu nu gamma) = {r['sigma_b_pb']:.5g} pb  b = {r['b']:.5g}  "
              f"s95 = {r['s95']:.5g}  (sigma_acc < {r['s95'] / r['lumi_pb']:.4g} pb)")
