"""The one exception hierarchy for problems a user can fix.

Each carries a single sentence that says what went wrong and what to do; the
CLI and the server print it as it is, never a traceback.
"""


class SleepyError(Exception):
    """A problem with the user's input or machine, explained in one sentence."""


class CargoNotFound(SleepyError):
    def __init__(self, cargo: str = "cargo") -> None:
        super().__init__(
            f"`{cargo}` was not found on PATH: install Rust with rustup (https://rustup.rs) "
            "or point the cargo setting at the binary."
        )


class KoanError(SleepyError):
    """A koan folder or koan.toml that does not follow the koan format."""
