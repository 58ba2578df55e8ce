"""Login for POLICYQA_AUTH=user:password, with failed attempts rate-limited.

Gradio calls `auth(username, password)` for every login attempt; a plain (user, password) pair would let
anyone guess passwords as fast as the server answers. After MAX_FAILURES failures for one user name within
WINDOW_S seconds, every attempt for that name (the right password too) is refused for LOCKOUT_S seconds.
Failures are also counted across all names, so rotating names does not help: after GLOBAL_MAX_FAILURES
within the window, logins pause for everyone for LOCKOUT_S seconds.
"""
from __future__ import annotations

import hmac
import logging
import threading
import time
from collections import deque
from collections.abc import Callable

log = logging.getLogger("policyqa.auth")

MAX_FAILURES = 5
WINDOW_S = 60.0
LOCKOUT_S = 300.0
GLOBAL_MAX_FAILURES = 50
_MAX_TRACKED = 10_000  # names remembered at once; older entries are dropped (memory stays bounded)


class RateLimitedLogin:
    def __init__(self, user: str, password: str, *, max_failures: int = MAX_FAILURES, window_s: float = WINDOW_S,
                 lockout_s: float = LOCKOUT_S, global_max_failures: int = GLOBAL_MAX_FAILURES,
                 clock: Callable[[], float] = time.monotonic):
        self._user = user.encode("utf-8")
        self._password = password.encode("utf-8")
        self.max_failures = max_failures
        self.window_s = window_s
        self.lockout_s = lockout_s
        self.global_max_failures = global_max_failures
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, deque[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._all_failures: deque[float] = deque()
        self._global_locked_until = 0.0

    def locked(self, username: str) -> bool:
        now = self._clock()
        with self._lock:
            return now < self._global_locked_until or now < self._locked_until.get(username, 0.0)

    def __call__(self, username: str, password: str) -> bool:
        username = str(username or "")[:200]
        now = self._clock()
        with self._lock:
            if now < self._global_locked_until or now < self._locked_until.get(username, 0.0):
                log.warning("login refused for %r: too many failed attempts", username)
                return False
        ok = hmac.compare_digest(username.encode("utf-8"), self._user) & \
            hmac.compare_digest(str(password or "").encode("utf-8"), self._password)
        with self._lock:
            if ok:
                self._failures.pop(username, None)
                return True
            self._record_failure(username, now)
        return False

    def _record_failure(self, username: str, now: float) -> None:
        horizon = now - self.window_s
        recent = self._failures.setdefault(username, deque())
        recent.append(now)
        while recent and recent[0] < horizon:
            recent.popleft()
        if len(recent) >= self.max_failures:
            self._locked_until[username] = now + self.lockout_s
            recent.clear()
            log.warning("login locked for %r for %.0f s after %d failures", username, self.lockout_s,
                        self.max_failures)
        self._all_failures.append(now)
        while self._all_failures and self._all_failures[0] < horizon:
            self._all_failures.popleft()
        if len(self._all_failures) >= self.global_max_failures:
            self._global_locked_until = now + self.lockout_s
            self._all_failures.clear()
            log.warning("all logins paused for %.0f s after %d failures in %.0f s", self.lockout_s,
                        self.global_max_failures, self.window_s)
        if len(self._failures) > _MAX_TRACKED:
            for name in list(self._failures)[: len(self._failures) - _MAX_TRACKED]:
                del self._failures[name]
        expired = [n for n, t in self._locked_until.items() if t <= now]
        for name in expired:
            del self._locked_until[name]


def make_auth(pair: tuple[str, str] | None) -> RateLimitedLogin | None:
    return RateLimitedLogin(*pair) if pair else None
