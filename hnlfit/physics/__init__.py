"""The shared vectorized physics core: pure functions of numpy arrays, no I/O, GeV units."""
