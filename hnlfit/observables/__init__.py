"""Observables: named predictions registered with metadata (see :mod:`.registry`)."""
