"""``Refused``: the one type every use case raises when it says no.

Invariants: a refusal changes nothing (the use case raises before its transaction
commits); ``code`` is stable (sounds, tests and exit statuses key on it) and ``message``
is a plain-language sentence that says what to do. Every area's refusals derive from it,
so the window and the CLI each handle this one type.
"""

from __future__ import annotations


class Refused(Exception):
    """A use case said no. ``str(refused)`` is ``message``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code  # a str, or a StrEnum member of the area (compares equal to its value)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled whole, whatever a subclass's ``__init__`` takes (a refusal raised in a worker
        process reaches its parent; the default rebuilds from ``args`` and fails)."""
        return (_rebuilt, (type(self), self.message, dict(self.__dict__)))


def _rebuilt(kind: type[Refused], message: str, state: dict[str, object]) -> Refused:
    refused = kind.__new__(kind)
    Exception.__init__(refused, message)
    refused.__dict__.update(state)
    return refused


class NotAllowed(Refused):
    """The signed-in actor's role may not do this (or the actor is no longer active)."""

    def __init__(self, message: str) -> None:
        super().__init__("not-allowed", message)
