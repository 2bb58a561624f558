"""The header's three area links: found by their apps, read from the cache in one go."""

from unittest import mock

from django.core.cache import cache
from django.utils import translation

from core.context_processors import main_nav


def test_the_three_links_in_the_readers_language(demo):
    with translation.override("zh-hans"):
        links = [
            (str(link["label"]), link["url"], link["current"])
            for link in main_nav("/zh-hans/courses/lmo-identification/")
        ]
    assert links == [
        ("课程", "/zh-hans/courses/", True),
        ("论坛", "/zh-hans/forums/", False),
        ("意见征求", "/zh-hans/consultations/", False),
    ]


def test_once_cached_the_header_reads_the_cache_once_and_the_database_never(
    demo, django_assert_num_queries
):
    with translation.override("en"):
        first = main_nav("/en/")
        with (
            django_assert_num_queries(0),
            mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many,
        ):
            again = main_nav("/en/")
    assert again == first and len(first) == 3
    # One read for the three (on Redis, one MGET); the local-memory cache answers it key by key.
    assert get_many.call_count == 1 and len(get_many.call_args.args[0]) == 3


def test_an_area_with_nothing_to_show_is_left_out_and_that_is_cached_too(
    site_shell, django_assert_num_queries
):
    with translation.override("en"):
        assert main_nav("/en/") == []
        with django_assert_num_queries(0):
            assert main_nav("/en/") == []
