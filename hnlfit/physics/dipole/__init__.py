"""dipole sector of the physics core."""
