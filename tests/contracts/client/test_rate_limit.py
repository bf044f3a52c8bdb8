from __future__ import annotations

from contracts.client.rate_limit import RateLimiter


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_rate_limiter_spaces_requests():
    clock = FakeClock()
    limiter = RateLimiter(4.0, clock=clock, sleep=clock.sleep)

    for _ in range(3):
        limiter.wait()

    assert clock.slept == [0.25, 0.25]


def test_rate_limiter_does_not_sleep_when_requests_are_slow_anyway():
    clock = FakeClock()
    limiter = RateLimiter(2.0, clock=clock, sleep=clock.sleep)
    limiter.wait()
    clock.now += 5
    limiter.wait()

    assert clock.slept == []


def test_no_rate_means_no_waiting():
    clock = FakeClock()
    RateLimiter(None, clock=clock, sleep=clock.sleep).wait()

    assert clock.slept == []
