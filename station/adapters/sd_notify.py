"""Tell systemd how a service is doing: READY, STATUS, WATCHDOG and STOPPING.

The protocol is one datagram of `KEY=value` lines sent to the AF_UNIX socket named in
`$NOTIFY_SOCKET` (a path, or `@name` for the abstract namespace); nothing else is needed, so the
station speaks it itself rather than depending on a binding. Outside systemd (a laptop, a test)
the variable is absent and every call is a cheap no-op that returns False.

A unit with `WatchdogSec=` restarts the service when pings stop. A ping must prove that the work
loop is alive, not merely that the process exists, so daemons use `ServiceHeartbeat`: its thread
pings systemd only while the loop has beaten recently (`beat()`), which lets a long but healthy
step (a first download of a large revocation list) outlast `WatchdogSec` while a loop stuck for
longer than `stall_after_s` is still killed and restarted.

Usage in a daemon::

    heartbeat = ServiceHeartbeat.start(stall_after_s=1800, status="syncing")
    stop = heartbeat.watched(threading.Event())   # each stop.wait()/is_set() counts as a beat
    try:
        run_loop(stop)
    finally:
        heartbeat.stop()                           # STOPPING=1

and in the Qt app, from a QTimer on the GUI thread (so a frozen GUI stops the pings)::

    notifier = ServiceNotifier.from_environment()
    notifier.ready()
    timer.timeout.connect(notifier.watchdog)       # every notifier.ping_interval_s
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Mapping

#: Ping at half the watchdog period, as sd_watchdog_enabled(3) recommends.
PING_FRACTION = 0.5


class ServiceNotifier:
    """Sends notifications to the service manager; a no-op when not started by systemd."""

    def __init__(self, address: str | None, watchdog_usec: int | None = None) -> None:
        self._address = _socket_address(address) if address else None
        self._watchdog_usec = watchdog_usec
        self._lock = threading.Lock()

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> ServiceNotifier:
        env = os.environ if environ is None else environ
        return cls(env.get("NOTIFY_SOCKET") or None, _watchdog_usec(env))

    @property
    def enabled(self) -> bool:
        return self._address is not None

    @property
    def watchdog_s(self) -> float | None:
        """The unit's WatchdogSec in seconds, when systemd expects pings from this process."""
        return None if self._watchdog_usec is None else self._watchdog_usec / 1e6

    @property
    def ping_interval_s(self) -> float | None:
        watchdog = self.watchdog_s
        return None if watchdog is None else watchdog * PING_FRACTION

    def notify(self, *assignments: str) -> bool:
        """Send `KEY=value` lines in one datagram; False when not under systemd or on error."""
        if self._address is None:
            return False
        message = "\n".join(assignments).encode("utf-8")
        try:
            with self._lock, socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
                # Never wait on the manager: a full queue drops this one message (a later ping
                # follows) instead of hanging the service that was only saying it is alive.
                sock.setblocking(False)
                sock.connect(self._address)
                sock.send(message)
        except OSError:
            return False  # the manager went away or is not reading: nothing useful to do
        return True

    def ready(self, status: str = "") -> bool:
        return self.notify("READY=1", *([f"STATUS={_one_line(status)}"] if status else []))

    def status(self, text: str) -> bool:
        return self.notify(f"STATUS={_one_line(text)}")

    def watchdog(self) -> bool:
        return self.notify("WATCHDOG=1")

    def stopping(self, status: str = "") -> bool:
        return self.notify("STOPPING=1", *([f"STATUS={_one_line(status)}"] if status else []))


class ServiceHeartbeat:
    """Pings the watchdog from a thread for as long as the owner keeps calling `beat()`."""

    def __init__(
        self,
        notifier: ServiceNotifier,
        *,
        stall_after_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.notifier = notifier
        self.stall_after_s = stall_after_s
        self._clock = clock
        self._last_beat = clock()
        self._finished = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def start(
        cls,
        *,
        stall_after_s: float,
        status: str = "",
        notifier: ServiceNotifier | None = None,
    ) -> ServiceHeartbeat:
        """Send READY=1 and start pinging (when the unit has a watchdog)."""
        heartbeat = cls(notifier or ServiceNotifier.from_environment(), stall_after_s=stall_after_s)
        heartbeat.notifier.ready(status)
        interval = heartbeat.notifier.ping_interval_s
        if interval is not None and heartbeat.notifier.enabled:
            heartbeat._thread = threading.Thread(
                target=heartbeat._run, args=(interval,), name="sd-watchdog", daemon=True
            )
            heartbeat._thread.start()
        return heartbeat

    def beat(self) -> None:
        """The work loop is alive."""
        self._last_beat = self._clock()

    @property
    def stalled(self) -> bool:
        return self._clock() - self._last_beat > self.stall_after_s

    def tick(self) -> bool:
        """One ping if the loop beat recently; True when a ping was sent."""
        if self.stalled:
            return False
        return self.notifier.watchdog()

    def watched(self, event: threading.Event) -> WatchedEvent:
        """`event`'s flag behind an Event whose checks count as beats (see WatchedEvent)."""
        return WatchedEvent(self, event)

    def stop(self, status: str = "") -> None:
        self._finished.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
        self.notifier.stopping(status)

    def _run(self, interval: float) -> None:
        while not self._finished.wait(interval):
            self.tick()


class WatchedEvent(threading.Event):
    """A stop flag whose every check (`is_set`, `wait`) is also a beat of the heartbeat.

    Daemon loops check their stop flag once per round; handing them this event lets the
    heartbeat see those rounds without any change to the loop itself. The flag is the wrapped
    event's, so a signal handler that sets the original still stops the loop.
    """

    def __init__(self, heartbeat: ServiceHeartbeat, event: threading.Event) -> None:
        super().__init__()
        self._heartbeat = heartbeat
        self._event = event

    def is_set(self) -> bool:
        self._heartbeat.beat()
        return self._event.is_set()

    def set(self) -> None:
        self._event.set()

    def clear(self) -> None:
        self._event.clear()

    def wait(self, timeout: float | None = None) -> bool:
        self._heartbeat.beat()
        flag = self._event.wait(timeout)
        self._heartbeat.beat()
        return flag


def _socket_address(address: str) -> str:
    """systemd writes abstract sockets as `@name`; the kernel wants a leading NUL."""
    return "\0" + address[1:] if address.startswith("@") else address


def _watchdog_usec(env: Mapping[str, str]) -> int | None:
    """WATCHDOG_USEC, if it is meant for this process (WATCHDOG_PID absent or ours)."""
    pid = env.get("WATCHDOG_PID")
    if pid and pid != str(os.getpid()):
        return None
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    return usec if usec > 0 else None


def _one_line(text: str) -> str:
    return " ".join(text.split())
