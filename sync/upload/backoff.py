"""How long the uploader waits after a failed pass: exponential, fully jittered, capped.

Not `sync.runner.Backoff`: that one keeps its failure count in the sync cache, spreads only
±50 % around the doubled delay and takes any Retry-After as given. After an outage every
station of a region comes back at once with a full queue, so here the wait is drawn uniformly
from zero to the doubled ceiling ("full jitter"), which spreads the fleet far better; a
Retry-After is a minimum but never more than the cap (a hub asking for a day must not stop
tracing data for a day); and no wait is shorter than a second, so a hub that fails instantly
cannot turn the uploader into a busy loop.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

BASE_S = 2.0
CAP_S = 15 * 60.0
FLOOR_S = 1.0


@dataclass(slots=True)
class UploadBackoff:
    """Wait times after consecutive failed passes; `reset()` after a pass that succeeded."""

    base_s: float = BASE_S
    cap_s: float = CAP_S
    floor_s: float = FLOOR_S
    rng: random.Random = field(default_factory=random.Random)
    failures: int = 0

    def ceiling(self, failures: int) -> float:
        """The longest wait after `failures` failures in a row (before Retry-After)."""
        exponent = min(max(failures - 1, 0), 32)
        return float(min(self.cap_s, self.base_s * 2**exponent))

    def next_delay(self, retry_after_s: float | None = None) -> float:
        """Count one more failure and return how long to wait before the next pass."""
        self.failures += 1
        delay = self.rng.uniform(0.0, self.ceiling(self.failures))
        if retry_after_s is not None:
            delay = max(delay, min(retry_after_s, self.cap_s))
        return max(delay, self.floor_s)

    def reset(self) -> None:
        self.failures = 0
