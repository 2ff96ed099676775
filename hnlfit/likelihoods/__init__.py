"""Measurement data (YAML with references) and likelihood terms built from them."""
