"""Exceptions and warnings raised by hnlfit, so callers can catch them by kind."""


class HnlfitError(Exception):
    """Base class of every error hnlfit raises on purpose."""


class ParameterError(HnlfitError, ValueError):
    """A parameter is unknown, out of range, non-finite, or inconsistently specified."""


class ObservableError(HnlfitError, KeyError):
    """An observable name is unknown or is missing a parameter it needs."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class UnknownNameError(ParameterError, ObservableError):
    """A keyword is neither a model parameter nor an argument of the observable.

    Both a :class:`ParameterError` and an :class:`ObservableError`, so code that caught either
    before keeps working."""


class DomainError(ParameterError):
    """A point lies outside the validity domain an observable declares (a table's mass
    range, a kinematic requirement such as E_N >= m_N, sqrt_s > 0, a strongly coupled EFT)."""


class DataError(HnlfitError, ValueError):
    """A measurement file, run card or shipped table is malformed."""


class PluginError(DataError):
    """A plugin file or module failed to import or registered something invalid."""


class ValidityWarning(UserWarning):
    """A prediction is computed outside the regime its formula is meant for (m_N >= Lambda:
    the nuSMEFT expansion does not apply), but it is still the formula's value."""


class CacheWarning(UserWarning):
    """A cache file was unreadable and is recomputed, or the cache folder is unusable and
    tables are computed in memory."""
