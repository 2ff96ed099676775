"""nusmeft sector of the physics core."""
