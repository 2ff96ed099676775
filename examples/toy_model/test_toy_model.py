"""The toy model of this folder: registered by its plugin file, usable through predict and a
run card (run: python -m pytest examples/toy_model)."""
from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).parent


def _load():
    if "toy_scalar_portal" in sys.modules:
        return sys.modules["toy_scalar_portal"]
    spec = importlib.util.spec_from_file_location("toy_scalar_portal",
                                                  HERE / "toy_scalar_portal.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["toy_scalar_portal"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_toy_model_maps_onto_the_eft():
    import hnlfit
    from hnlfit import constants as c

    _load()
    assert "toy_scalar_portal" in hnlfit.models.names()
    d = hnlfit.predict("abs_d_gamma_mu", model="toy_scalar_portal", m_F=1000.0, m_S=1000.0,
                       y_toy=2.0, m_N=1.0)
    # f(1) = 1/2
    assert d == pytest.approx(c.E_CHARGE * 2.0 * 0.5 / (32 * math.pi ** 2 * 1000.0), rel=1e-12)
    # an EFT observable that reads m_N and the mapped dipoles works unchanged
    br = hnlfit.predict("br_N_to_nu_gamma", model="toy_scalar_portal", m_F=1000.0, m_S=10.0,
                        y_toy=1.0, m_N=1.0)
    assert 0.0 < float(br) <= 1.0


def test_toy_model_bad_input():
    import hnlfit
    from hnlfit.errors import ParameterError

    _load()
    with pytest.raises(ParameterError, match="y_toy"):
        hnlfit.predict("abs_d_gamma_mu", model="toy_scalar_portal", m_F=1e3, m_S=1e3,
                       y_toy=20.0, m_N=1.0)
    with pytest.raises(ParameterError, match="unknown model"):
        hnlfit.predict("abs_d_gamma_mu", model="toy_scalr_portal", m_F=1e3, m_S=1e3,
                       m_N=1.0)


def test_toy_card_runs(tmp_path):
    from hnlfit.cards import run_card

    out = run_card(HERE / "toy_card.yaml", tmp_path, quick=True, progress=False)
    npz = next(tmp_path.rglob("*.npz"))
    data = np.load(npz)
    assert any(k.startswith("panel0_layer0") for k in data.files)
    assert out
