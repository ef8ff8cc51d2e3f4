"""The one error type paperkg raises for bad input (files, records, names)."""

__all__ = ["InputError"]


class InputError(ValueError):
    """Bad input that a user can fix: the message is one line, shown as is.

    The CLI turns it into ``error: <message>`` and exit status 1, never a traceback.
    """
