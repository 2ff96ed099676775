"""Dirac matrices in the Dirac representation, for the tests' explicit traces and spinors
(metric diag(1, -1, -1, -1), γ5 = iγ0γ1γ2γ3, σ^{μν} = i/2 [γ^μ, γ^ν])."""
import numpy as np

I2 = np.eye(2, dtype=complex)
PAULI = [np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]], complex),
         np.array([[1, 0], [0, -1]], complex)]
Z2 = np.zeros((2, 2), complex)
G0 = np.block([[I2, Z2], [Z2, -I2]])
GAM = [G0] + [np.block([[Z2, s], [-s, Z2]]) for s in PAULI]
G5 = 1j * GAM[0] @ GAM[1] @ GAM[2] @ GAM[3]
ONE = np.eye(4, dtype=complex)
PL, PR = (ONE - G5) / 2, (ONE + G5) / 2
ETA = np.diag([1.0, -1.0, -1.0, -1.0])
SIG = [[0.5j * (GAM[m] @ GAM[n] - GAM[n] @ GAM[m]) for n in range(4)] for m in range(4)]


def slash(p):
    return sum(ETA[m, m] * p[m] * GAM[m] for m in range(4))
