"""forward sector of the physics core."""
