"""Client-side pacing: one token bucket per (account, region), shared by every thread that calls
that control plane. API Gateway allows about 10 management requests/s per account and region
(burst 40), shared with the account's own deploys, so by default we take a safe share of it."""

import threading
import time

DEFAULT_RATE = 8.0  # requests per second; leaves 2/s of the 10/s quota to deploys
DEFAULT_BURST = 20  # half the service's burst of 40


class Stopped(Exception):
    """The scan was stopped (Ctrl-C) while a call waited for its turn."""


class TokenBucket:
    """`acquire()` blocks until one request may go; aws.Client calls it before every HTTP attempt,
    retries included, so retries are paced too. Waits in short slices so a stop is seen within
    a tenth of a second."""

    def __init__(self, rate: float = DEFAULT_RATE, burst: int = DEFAULT_BURST, stop: threading.Event | None = None,
                 clock=time.monotonic, sleep=time.sleep):
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = float(rate)
        self.burst = max(1, int(burst))
        self._tokens = float(self.burst)
        self._clock = clock
        self._sleep = sleep
        self._last = clock()
        self._lock = threading.Lock()
        self._stop = stop or threading.Event()
        self.waited = 0.0  # seconds spent waiting, all threads together

    def _take(self) -> float:
        """Take a token if there is one (0.0), else how long until there is."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
            self._last = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            return (1.0 - self._tokens) / self.rate

    def acquire(self) -> None:
        while True:
            if self._stop.is_set():
                raise Stopped()
            wait = self._take()
            if wait <= 0.0:
                return
            slice_ = min(wait, 0.1)
            self.waited += slice_
            self._sleep(slice_)


class Buckets:
    """One bucket per (account, region) key, made on first use."""

    def __init__(self, rate: float = DEFAULT_RATE, burst: int = DEFAULT_BURST, stop: threading.Event | None = None):
        self.rate, self.burst = rate, burst
        self.stop = stop or threading.Event()
        self._buckets: dict = {}
        self._lock = threading.Lock()

    def get(self, key) -> TokenBucket:
        with self._lock:
            if key not in self._buckets:
                self._buckets[key] = TokenBucket(self.rate, self.burst, self.stop)
            return self._buckets[key]
