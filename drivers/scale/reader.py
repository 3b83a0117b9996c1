"""The worker loop shared by every scale driver: connect, poll, publish, reconnect.

A :class:`ScaleWorker` implements ``fulfilstation.ports.Scale`` on top of a
:class:`ScaleLink` (one open connection, protocol-specific) and a ``LinkOpener`` that
makes a new one. Threading rules:

* the worker thread is the only one that opens, uses and closes links;
* ``start``/``stop``/``latest``/``zero`` may be called from any thread;
* ``on_reading`` is called on the worker thread, only when the (grams, state) pair
  differs from the last one reported (the first reading is always reported);
* ``latest()`` is the newest reading (``monotonic`` stamped on arrival), DISCONNECTED
  before the first one and after ``stop()``.

Disconnection: a link that raises (OSError, DeviceError, or anything unexpected —
termios.error, hidapi's ValueError, a driver bug —, which is logged) is reported
DISCONNECTED, closed, and reopened every ``retry_interval`` seconds; an opener or a
``close`` that raises anything is treated the same way: no exception ends the worker.
A link that yields no valid reply for ``silence_timeout``
seconds is reported DISCONNECTED (and reopened after ``reopen_after``). Readings
resume by themselves when the scale answers again.

Capacity: a weight above ``capacity_grams`` (the scale's declared capacity, else
:data:`DEFAULT_CAPACITY_GRAMS`) is published as OVER_CAPACITY without grams, never as a
stable weight or a weight in motion.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol, TypedDict

from drivers.scale.common import Reply
from fulfilstation.ports import (
    DeviceError,
    DeviceNotFound,
    DeviceTimeout,
    ScaleState,
    WeightReading,
)

log = logging.getLogger(__name__)

DEFAULT_CAPACITY_GRAMS = 1_000_000
"""The heaviest weight believed from a scale that declares no capacity (1,000 kg)."""


class ScaleLink(Protocol):
    """One open connection to a scale. Used by the worker thread only."""

    def poll(self, request: bool) -> list[Reply]:
        """Ask for a reading if ``request`` and one is due, then return the replies
        read within a short time (≤ ~0.1 s). Raises OSError/DeviceError if broken."""

    def send_zero(self) -> bool:
        """Send the zero command. True: done, no answer expected. DeviceError if the
        scale cannot zero; OSError if the link broke."""

    def zero_outcome(self, reply: Reply) -> bool | None:
        """Whether ``reply`` answers the zero command (True done, False refused)."""

    def close(self) -> None: ...


LinkOpener = Callable[[], ScaleLink]


class WorkerOptions(TypedDict, total=False):
    """Timing options of :class:`ScaleWorker` (seconds), for the driver factories."""

    silence_timeout: float | None
    reopen_after: float
    retry_interval: float
    zero_timeout: float
    capacity_grams: int | None


class _ZeroRequest:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.error: DeviceError | None = None
        self.deadline = 0.0

    def finish(self, error: DeviceError | None = None) -> None:
        self.error = error
        self.done.set()


class ScaleWorker:
    """A ``Scale`` driven by a worker thread over links made by ``opener``."""

    def __init__(
        self,
        uri: str,
        opener: LinkOpener,
        *,
        silence_timeout: float | None = 1.0,
        reopen_after: float = 3.0,
        retry_interval: float = 0.25,
        zero_timeout: float = 2.0,
        capacity_grams: int | None = None,
    ) -> None:
        self.uri = uri
        self._opener = opener
        self._silence_timeout = silence_timeout
        self._reopen_after = reopen_after
        self._retry_interval = retry_interval
        self._zero_timeout = zero_timeout
        self._capacity = capacity_grams or DEFAULT_CAPACITY_GRAMS
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._callback: Callable[[WeightReading], None] | None = None
        self._latest = WeightReading(None, ScaleState.DISCONNECTED)
        self._reported: tuple[int | None, ScaleState] | None = None
        self._requests: queue.Queue[_ZeroRequest] = queue.Queue()
        self._zero: _ZeroRequest | None = None
        self._alive_at = 0.0

    # ------------------------------------------------------------------ public API

    def start(self, on_reading: Callable[[WeightReading], None]) -> None:
        """Start the worker thread. DeviceError if it is already running."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                raise DeviceError(f"scale {self.uri} is already started")
            self._callback = on_reading
            self._reported = None
            self._stopping.clear()
            self._thread = threading.Thread(
                target=self._run, name=f"scale {self.uri}", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        """Stop the worker and wait for it (unless called from it). Idempotent."""
        self._stopping.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5.0)
        with self._lock:
            self._latest = WeightReading(None, ScaleState.DISCONNECTED)

    def latest(self) -> WeightReading:
        with self._lock:
            return self._latest

    def zero(self) -> None:
        """Zero the scale; blocks until it answers. Never call on the GUI thread."""
        thread = self._thread
        if thread is None or not thread.is_alive() or self._stopping.is_set():
            raise DeviceError(f"scale {self.uri} is not started")
        request = _ZeroRequest()
        self._requests.put(request)
        if not request.done.wait(self._zero_timeout + 2.0):
            raise DeviceTimeout("the scale did not answer the zero command in time")
        if request.error is not None:
            raise request.error

    # ------------------------------------------------------------------ worker thread

    def _run(self) -> None:
        link: ScaleLink | None = None
        try:
            while not self._stopping.is_set():
                if link is None:
                    link = self._connect()
                    continue
                try:
                    self._cycle(link)
                except (OSError, DeviceError) as exc:
                    log.info("scale %s: link lost (%s)", self.uri, exc)
                except Exception:  # a driver bug must not end the worker
                    log.exception("scale %s: unexpected error, reconnecting", self.uri)
                else:
                    continue
                self._close(link)
                link = None
                self._publish_disconnected()
        finally:
            if link is not None:
                self._close(link)
            self._fail_requests(DeviceError("the scale was stopped"))

    def _connect(self) -> ScaleLink | None:
        try:
            link = self._opener()
        except Exception as exc:  # OSError, DeviceError, termios.error, a driver bug
            if isinstance(exc, OSError | DeviceError):
                log.debug("scale %s: cannot open (%s)", self.uri, exc)
            else:
                log.warning("scale %s: cannot open (%r)", self.uri, exc)
            self._publish_disconnected()
            self._fail_requests(DeviceNotFound(f"scale {self.uri} is not connected"))
            self._stopping.wait(self._retry_interval)
            return None
        self._alive_at = time.monotonic()
        return link

    def _cycle(self, link: ScaleLink) -> None:
        self._start_zero(link)
        replies = link.poll(request=self._zero is None)
        now = time.monotonic()
        for reply in replies:
            self._alive_at = now
            if self._answers_zero(link, reply):
                continue  # the answer to a command, not a reading
            if isinstance(reply, WeightReading):
                self._publish(replace(self._within_capacity(reply), monotonic=now))
        self._check_deadlines(now)

    def _within_capacity(self, reading: WeightReading) -> WeightReading:
        if reading.grams is not None and reading.grams > self._capacity:
            return WeightReading(None, ScaleState.OVER_CAPACITY, reading.raw)
        return reading

    def _start_zero(self, link: ScaleLink) -> None:
        if self._zero is not None or self._requests.empty():
            return
        self._zero = request = self._requests.get_nowait()
        request.deadline = time.monotonic() + self._zero_timeout
        try:
            done = link.send_zero()
        except DeviceError as exc:
            self._zero = None
            request.finish(exc)
            return
        if done:
            self._zero = None
            request.finish()

    def _answers_zero(self, link: ScaleLink, reply: Reply) -> bool:
        if self._zero is None:
            return False
        outcome = link.zero_outcome(reply)
        if outcome is None:
            return False
        error = None
        if not outcome:
            error = DeviceError(
                f"scale refused to zero: {reply.raw!r}",
                user_message="The scale cannot zero now: empty the platter, wait "
                "until it is still and try again.",
            )
        self._zero.finish(error)
        self._zero = None
        return True

    def _check_deadlines(self, now: float) -> None:
        if self._zero is not None:
            if now < self._zero.deadline:
                return
            self._zero.finish(
                DeviceTimeout("the scale did not answer the zero command")
            )
            self._zero = None
            self._alive_at = now
        if self._silence_timeout is None:
            return
        silent_for = now - self._alive_at
        if silent_for > self._silence_timeout:
            self._publish_disconnected()
        if silent_for > max(self._reopen_after, self._silence_timeout):
            raise DeviceTimeout(f"scale {self.uri} stopped answering")

    def _close(self, link: ScaleLink) -> None:
        if self._zero is not None:
            self._zero.finish(DeviceNotFound("the scale was disconnected"))
            self._zero = None
        try:
            link.close()
        except Exception as exc:  # a port that is gone may fail to close: it is closed
            log.debug("scale %s: error while closing (%r)", self.uri, exc)

    def _fail_requests(self, error: DeviceError) -> None:
        while not self._requests.empty():
            self._requests.get_nowait().finish(error)

    def _publish_disconnected(self) -> None:
        self._publish(
            WeightReading(None, ScaleState.DISCONNECTED, b"", time.monotonic())
        )

    def _publish(self, reading: WeightReading) -> None:
        key = (reading.grams, reading.state)
        with self._lock:
            if self._stopping.is_set():
                return
            self._latest = reading
            changed = key != self._reported
            self._reported = key
            callback = self._callback
        if changed and callback is not None:
            try:
                callback(reading)
            except Exception:  # a broken consumer must not stop the scale
                log.exception("scale %s: on_reading callback failed", self.uri)
