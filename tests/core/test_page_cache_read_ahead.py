"""`core.page_cache.read_ahead`: several cached facts a request needs, read in one round trip,
with the same guarantee as reading each on its own: nothing read before a change is used after
it."""

from unittest import mock

import pytest
from django.core.cache import cache

from core.page_cache import cached_under_tags, invalidate, read_ahead

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


def test_two_facts_read_ahead_cost_one_round_trip_and_give_the_same_values():
    built = []
    warm(built)
    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
        with read_ahead([("ahead:a", ["ahead-tag-a"]), ("ahead:b", ["ahead-tag-b"]), None]):
            assert ask("ahead:a", "ahead-tag-a", "A'", built) == "A"
            assert ask("ahead:b", "ahead-tag-b", "B'", built) == "B"
    assert get_many.call_count == 1 and built == []


def test_a_change_inside_the_block_is_seen_by_the_next_ask():
    built = []
    warm(built)
    with read_ahead([("ahead:a", ["ahead-tag-a"]), ("ahead:b", ["ahead-tag-b"])]):
        invalidate("ahead-tag-a")
        assert ask("ahead:a", "ahead-tag-a", "A after", built) == "A after"
        assert ask("ahead:b", "ahead-tag-b", "B after", built) == "B"
    assert built == ["ahead:a"]


def test_each_read_serves_one_ask_and_none_outside_the_block():
    built = []
    warm(built)
    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
        with read_ahead([("ahead:a", ["ahead-tag-a"])]):
            ask("ahead:a", "ahead-tag-a", "A", built)
            ask("ahead:a", "ahead-tag-a", "A", built)  # asked again: read again
        ask("ahead:a", "ahead-tag-a", "A", built)
    assert get_many.call_count == 3 and built == []


def test_a_fact_not_yet_cached_is_built_and_kept():
    built = []
    with read_ahead([("ahead:new", ["ahead-tag-new"])]):
        assert ask("ahead:new", "ahead-tag-new", "N", built) == "N"
    assert ask("ahead:new", "ahead-tag-new", "other", built) == "N"
    assert built == ["ahead:new"]
