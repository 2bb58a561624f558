import pytest
from django.core.cache import cache

from core.ratelimit import Rate, rate_limit_exceeded


def test_the_limit_allows_exactly_count_attempts_per_window():
    rate = Rate(3, 60)
    verdicts = [rate_limit_exceeded(scope="post", key=1, rate=rate) for _ in range(5)]
    assert verdicts == [False, False, False, True, True]


def test_each_user_and_each_scope_has_its_own_allowance():
    rate = Rate(1, 60)
    assert not rate_limit_exceeded(scope="post", key=1, rate=rate)
    assert not rate_limit_exceeded(scope="post", key=2, rate=rate)
    assert not rate_limit_exceeded(scope="comment", key=1, rate=rate)
    assert rate_limit_exceeded(scope="post", key=1, rate=rate)


def test_a_new_window_starts_a_new_count():
    rate = Rate(1, 60)
    assert not rate_limit_exceeded(scope="post", key=1, rate=rate)
    cache.clear()  # the window's counter expired
    assert not rate_limit_exceeded(scope="post", key=1, rate=rate)


@pytest.mark.parametrize("text", ["", "10", "a/b", "0/60", "10/0", "-1/60"])
def test_bad_rates_are_refused(text):
    with pytest.raises(ValueError):
        Rate.parse(text)


def test_a_rate_reads_count_per_seconds():
    assert Rate.parse("10/60") == Rate(10, 60)
