"""Scans, profile likelihood, limits and posterior sampling."""
