"""The exceptions raised for the status codes of the C ABI."""

from __future__ import annotations

from . import _library as native


class PolicyLabError(Exception):
    """A PolicyLab call failed; ``status`` is the C status code, ``message`` its message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class ArgumentError(PolicyLabError, ValueError):
    """A malformed call: a size, a name (variance type, method) or an option is invalid."""


class DataError(PolicyLabError, ValueError):
    """The data cannot be used: NaN or infinity, negative weights, too few rows, …"""


class FileError(PolicyLabError, OSError):
    """A file cannot be opened, read or parsed."""


class NotAvailableError(PolicyLabError, NotImplementedError):
    """The function is not available in this build of libPolicyLab.so."""


_CLASSES = {
    native.ERROR_ARGUMENT: ArgumentError,
    native.ERROR_DATA: DataError,
    native.ERROR_FILE: FileError,
    native.ERROR_NOT_AVAILABLE: NotAvailableError,
}


def check(status: int) -> None:
    """Raises the exception of `status` with the thread's last error message (nothing for OK)."""
    if status == native.OK:
        return
    raw = native.library().policylab_last_error()
    message = raw.decode("utf-8", "replace") if raw else ""
    raise _CLASSES.get(status, PolicyLabError)(status, message or f"PolicyLab status {status}")
