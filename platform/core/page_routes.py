"""Finding the page for a URL in one query instead of two per level of the tree.

Wagtail's `Page.route` walks down from the home page: at each level it looks the child up
by slug and then loads its specific class, so a lesson (home → courses → course → module →
lesson) costs eight queries before anything is rendered. Every signed-in page pays that (the
anonymous ones come from the page cache). The page's `url_path` (kept by Wagtail on every
save and move) is the slugs joined, so one lookup on it finds the same page.

It gives the same answer as the walk only while no page type below the home page routes its
own sub-paths (overrides `route`); tests/core/test_page_routes.py keeps that true. A path it
does not find is handed to Wagtail's walk, which raises the 404 (or serves the default
language's page, HomePage.route).
"""

from wagtail.models import Page


def route_below(home, path_components: list[str]):
    """The live page at `path_components` under `home`, its specific instance, or None."""
    if not path_components:
        return None
    url_path = home.url_path + "/".join(path_components) + "/"
    page = (
        Page.objects.filter(url_path=url_path, path__startswith=home.path, live=True)
        .specific()
        .first()
    )
    return page
