"""`core.page_cache.want_entries`: cached facts a request will need, read in one round trip
(core.read_together), with the same guarantee as reading each on its own: nothing read before a
change is used after it."""

import pytest

from core.page_cache import cached_under_tags, invalidate, want_entries
from core.read_together import request_scope
from tests.core.test_read_together import needs_redis, redis_round_trips

pytestmark = pytest.mark.django_db


def ask(key, tag, value, built):
    def build():
        built.append(key)
        return value

    return cached_under_tags(key, [tag], build, 60)


def warm(built):
    ask("ahead:a", "ahead-tag-a", "A", built)
    ask("ahead:b", "ahead-tag-b", "B", built)
    built.clear()


@needs_redis
def test_two_facts_wanted_cost_one_round_trip_and_give_the_same_values():
    built = []
    warm(built)
    with redis_round_trips() as trips, request_scope():
        want_entries([("ahead:a", ["ahead-tag-a"]), ("ahead:b", ["ahead-tag-b"]), None])
        assert ask("ahead:a", "ahead-tag-a", "A'", built) == "A"
        assert ask("ahead:b", "ahead-tag-b", "B'", built) == "B"
    assert len(trips) == 1 and built == []


def test_a_change_in_the_request_is_seen_by_the_next_ask():
    built = []
    warm(built)
    with request_scope():
        want_entries([("ahead:a", ["ahead-tag-a"]), ("ahead:b", ["ahead-tag-b"])])
        invalidate("ahead-tag-a")
        assert ask("ahead:a", "ahead-tag-a", "A after", built) == "A after"
        assert ask("ahead:b", "ahead-tag-b", "B after", built) == "B"
    assert built == ["ahead:a"]


def test_a_change_after_the_read_is_seen_by_the_next_ask():
    built = []
    warm(built)
    with request_scope():
        want_entries([("ahead:a", ["ahead-tag-a"])])
        assert ask("ahead:a", "ahead-tag-a", "A", built) == "A"
        invalidate("ahead-tag-a")
        assert ask("ahead:a", "ahead-tag-a", "A after", built) == "A after"
    assert built == ["ahead:a"]


def test_a_fact_not_yet_cached_is_built_and_kept():
    built = []
    with request_scope():
        want_entries([("ahead:new", ["ahead-tag-new"])])
        assert ask("ahead:new", "ahead-tag-new", "N", built) == "N"
    assert ask("ahead:new", "ahead-tag-new", "other", built) == "N"
    assert built == ["ahead:new"]
