"""The combined seed-004 likelihoods: exactly 0 without an HNL, finite and vectorized."""
import numpy as np
import pytest

import hnlfit


def random_points(n, rng, **override):
    m_N = 10 ** rng.uniform(2.0, 3.3, n)
    Lam = m_N * 10 ** rng.uniform(0.05, 1.5, n)
    vals = dict(m_N=m_N, Lambda=Lam, U_mu=10 ** rng.uniform(-4, -1.5, n),
                U_e=10 ** rng.uniform(-4, -1.5, n),
                C_Hnue_mu=rng.choice([-1, 1], n) / Lam**2,
                C_Hnue_e=rng.choice([-1, 1], n) / Lam**2)
    vals.update(override)
    return hnlfit.make_point(**vals)


@pytest.mark.parametrize("dataset", ["seed", "current"])
def test_no_hnl_point_gives_zero_in_every_term(dataset):
    like = hnlfit.build_likelihood(dataset, projections=True)
    rng = np.random.default_rng(7)
    p = random_points(200, rng).no_hnl()
    for row in like.breakdown(p):
        assert np.all(row["chi2"] == 0.0), row["term"]
    assert np.all(like(p) == 0.0)


@pytest.mark.parametrize("dataset", ["seed", "current"])
def test_combined_likelihood_is_finite_and_matches_the_sum(dataset):
    like = hnlfit.build_likelihood(dataset)
    p = random_points(500, np.random.default_rng(3))
    total = like(p)
    assert total.shape == (500,) and np.all(np.isfinite(total))
    parts = sum(row["chi2"] for row in like.breakdown(p))
    np.testing.assert_allclose(total, parts, rtol=1e-12)


def test_seed_likelihood_prefers_the_g2_band():
    """Along Delta a_mu = 251e-11 the seed likelihood improves on the SM by ~ (251/59)^2."""
    like = hnlfit.build_likelihood("seed", include=["delta_a_mu"])
    p = hnlfit.make_point(m_N=300.0, U_mu=0.01, C_Hnue_mu=-1 / 1161.0**2)
    assert np.isclose(like(p), -(251 / 59) ** 2, rtol=0.02)
