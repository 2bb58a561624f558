"""Loading the demo content in fixtures/ (idempotent: running it twice changes nothing).

For local use only: the demo accounts share a published password (see README.md).
"""

import json
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from accounts.areas import roles_grant
from accounts.models import User
from accounts.services import profile_update, user_set_roles

from .models import HomePage

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
HOME_FIELDS = ("title", "intro", "consultations_intro", "forums_intro", "courses_intro")


def read_fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def locales_ensure() -> dict[str, Locale]:
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _name in settings.LANGUAGES
    }


def _publish(page, content: dict) -> None:
    """Publish `content` on `page`, unless the live page already says exactly that."""
    if (
        page.live
        and not page.has_unpublished_changes
        and all(getattr(page, name) == content[name] for name in HOME_FIELDS)
    ):
        return
    for name in HOME_FIELDS:
        setattr(page, name, content[name])
    page.save_revision().publish()


def _tree_root(locale) -> Page:
    """The page tree's root, as Wagtail's first migration makes it: on a database emptied
    after its migrations (a flush; a transactional test's teardown) it is missing."""
    from django.contrib.contenttypes.models import ContentType

    return Page.add_root(
        instance=Page(
            title="Root",
            slug="root",
            locale=locale,
            content_type=ContentType.objects.get_for_model(Page),
        )
    )


@transaction.atomic
def home_load(content: dict) -> HomePage:
    """The home page in the default language as the site root, plus its translations."""
    locales = locales_ensure()
    default_locale = locales[settings.LANGUAGE_CODE]
    home = HomePage.objects.filter(locale=default_locale).first()
    if home is None:
        root = Page.get_first_root_node() or _tree_root(default_locale)
        # Wagtail's placeholder "Welcome" page (and the Site on it) gives way to ours.
        for stale in root.get_children().filter(slug="home", locale=default_locale):
            stale.delete()
        root.refresh_from_db()
        home = HomePage(slug="home", locale=default_locale, **content[settings.LANGUAGE_CODE])
        root.add_child(instance=home)
    _publish(home, content[settings.LANGUAGE_CODE])
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = settings.WAGTAIL_SITE_NAME
    site.save()

    for code, translated in content.items():
        if code == settings.LANGUAGE_CODE:
            continue
        page = home.get_translation_or_none(locales[code])
        if page is None:
            page = home.copy_for_translation(locales[code])
        _publish(page.specific, translated)
    return home


@transaction.atomic
def users_load(users: list[dict], password: str) -> list[User]:
    loaded = []
    for spec in users:
        user = User.objects.filter(email__iexact=spec["email"]).first() or User(email=spec["email"])
        user.is_superuser = user.is_staff = bool(spec.get("superuser"))
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=spec["email"], defaults={"verified": True, "primary": True}
        )
        user_set_roles(user=user, roles=spec.get("roles", []))
        profile_update(
            user=user,
            display_name=spec["display_name"],
            country=spec.get("country", ""),
            organisation=spec.get("organisation", ""),
            stakeholder_category=spec.get("stakeholder_category", ""),
            preferred_language=spec.get("preferred_language", settings.LANGUAGE_CODE),
            show_name_publicly=spec.get("show_name_publicly", False),
        )
        loaded.append(user)
    return loaded


def demo_person(spec: dict) -> User:
    """A demo participant without a usable password (they write; nobody signs in as them),
    with a verified address and the profile `spec` describes. Idempotent."""
    user = User.objects.filter(email__iexact=spec["email"]).first()
    if user is None:
        user = User(email=spec["email"])
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=spec["email"], verified=True, primary=True)
    profile_update(
        user=user,
        display_name=spec["display_name"],
        country=spec.get("country", ""),
        organisation=spec.get("organisation", ""),
        stakeholder_category=spec.get("stakeholder_category", ""),
        preferred_language=spec.get("preferred_language", settings.LANGUAGE_CODE),
        show_name_publicly=spec.get("show_name_publicly", False),
    )
    return user


def demo_load() -> dict:
    from consultations.demo import demo_load as consultations_load
    from courses.demo import demo_load as courses_load
    from forums.demo import demo_load as forums_load
    from search.index import deferred

    # The search index is brought up to date once, at the end, not at every publication.
    with deferred():
        return _demo_load(courses_load, forums_load, consultations_load)


def _demo_load(courses_load, forums_load, consultations_load) -> dict:
    data = read_fixture("site.json")
    # The home page in the languages site.json does not carry (fixtures/translations.json).
    home = home_load({**data["home"], **read_fixture("translations.json")["home"]})
    users = users_load(data["users"], data["demo_password"])
    by_email = {user.email: user for user in users}
    loaded = {"home": home, "users": users}
    # Each feature loads its own part of fixtures/, on top of the home page and the users.
    for load in (courses_load, forums_load, consultations_load):
        loaded.update(load(home=home, users=by_email))
    # The index pages now exist: each role gets its area (as the admin does when a superuser
    # adds one).
    roles_grant()
    return loaded
