"""The site header's links to the three areas (courses, forums, consultations).

Each app says how to find its area's URL in the reader's language and under which cache key;
the header asks for all three in one read of the cache (one round trip on Redis), since every
page shows them. A missing entry is worked out by its app and kept for the app's time.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Area:
    label: object  # a lazy translation: the header shows it in the reader's language
    key: Callable[[], str]  # the cache key for the reader's language
    find_url: Callable[[], str]  # the area's URL, "" while it has nothing to show
    seconds: int


def area_links(areas) -> list[tuple[object, str]]:
    """(label, url) of each area that has something to show, in the order given."""
    keys = [area.key() for area in areas]
    found = cache.get_many(keys)
    links = []
    for area, key in zip(areas, keys, strict=True):
        url = found.get(key)
        if url is None:
            url = area.find_url()
            cache.set(key, url, area.seconds)
        if url:
            links.append((area.label, url))
    return links


def area_link(area: Area):
    """(label, url) of one area, or None while it has nothing to show."""
    links = area_links([area])
    return links[0] if links else None
