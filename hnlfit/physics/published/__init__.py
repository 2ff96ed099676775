"""published sector of the physics core."""
