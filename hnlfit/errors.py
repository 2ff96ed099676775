"""Exceptions raised by hnlfit, so callers can catch them by kind."""


class HnlfitError(Exception):
    """Base class of every error hnlfit raises on purpose."""


class ParameterError(HnlfitError, ValueError):
    """A parameter is unknown, out of range, non-finite, or inconsistently specified."""


class ObservableError(HnlfitError, KeyError):
    """An observable name is unknown or is missing a parameter it needs."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class DataError(HnlfitError, ValueError):
    """A measurement file, run card or shipped table is malformed."""
