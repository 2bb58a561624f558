"""Every URL pattern the project routes, read from Django's resolver (not listed by hand), as
templates that the leak matrix and the URL sweep fill with real ids or with garbage.

A new view is picked up by both suites the moment it is routed: nobody has to add it here.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

PROJECT_APPS = ("accounts", "core", "courses", "forums", "consultations", "search", "config")
# Third-party views the project routes on purpose and whose input is ours to answer for.
THIRD_PARTY_MODULES = (
    "allauth.",
    "django.views.i18n",
    "django.views.static",
    "django.contrib.auth.views",
    "wagtail.views",  # the page tree's serve() and the page password form
    "wagtail.documents.views.serve",
)
_ROUTE_PARAM = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # a path converter ("int", "slug", "str", "path") or "regex"
    regex: str = ""  # for kind "regex": what the group accepts

    @property
    def choices(self) -> list[str]:
        """The literal alternatives of a group such as (all|public), else []."""
        if self.kind == "regex" and re.fullmatch(r"[\w|]+", self.regex):
            return self.regex.split("|")
        return []


@dataclass(frozen=True)
class Route:
    template: str  # "/en/forums/groups/{group_id}/", fill with .url(group_id=…)
    params: tuple[Param, ...]
    name: str  # "forums:group"; unnamed routes are named by their template
    module: str  # the view's module
    admin: bool  # under the Wagtail admin
    callback: object = field(default=None, compare=False, repr=False)

    @property
    def app(self) -> str:
        """Which app's content the route shows: "forums", "consultations" or "site"."""
        for app in ("forums", "consultations"):
            if self.module.startswith(app) or self.name.startswith(app):
                return app
        return "site"

    def url(self, **values) -> str:
        return self.template.format(**values)

    def __str__(self):
        return self.name


def _split_group(body: str, start: int) -> int:
    """The index of the parenthesis closing the group opened at `start`."""
    depth, i = 0, start
    while i < len(body):
        char = body[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":  # a character class may hold parentheses
            i = body.index("]", i + 1)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"Unbalanced group in {body!r}")


def _regex_template(regex: str, counter: list[int]) -> tuple[str, list[Param]]:
    body = regex.removeprefix("^").removesuffix("$").removesuffix("\\Z")
    out, params, i = [], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            out.append(body[i + 1])
            i += 2
        elif char == "(":
            end = _split_group(body, i)
            group = body[i + 1 : end]
            named = re.match(r"\?P<(\w+)>", group)
            if named:
                name, inner = named.group(1), group[named.end() :]
            else:
                name, inner = f"arg{counter[0]}", group.removeprefix("?:")
                counter[0] += 1
            params.append(Param(name, "regex", inner))
            out.append("{" + name + "}")
            i = end + 1
        elif char in "?*+|[]{}":
            raise ValueError(f"Cannot build a URL from {regex!r}")
        else:
            out.append(char)
            i += 1
    return "".join(out), params


def _pattern_template(pattern, counter) -> tuple[str, list[Param]]:
    if hasattr(pattern, "_route"):  # RoutePattern
        params = [
            Param(m.group("name"), m.group("kind") or "str")
            for m in _ROUTE_PARAM.finditer(pattern._route)
        ]
        return _ROUTE_PARAM.sub(lambda m: "{" + m.group("name") + "}", pattern._route), params
    if hasattr(pattern, "_regex"):  # RegexPattern
        return _regex_template(pattern._regex, counter)
    return str(pattern), []  # LocalePrefixPattern: the current language's prefix, "en/"


def _view_model_app(callback) -> str:
    model = getattr(callback, "view_initkwargs", {}).get("model") or getattr(
        getattr(callback, "view_class", None), "model", None
    )
    meta = getattr(model, "_meta", None)  # some views compute their model per request
    return meta.app_label if meta is not None else ""


def _walk(patterns, prefix="", params=(), namespace=None, counter=None):
    for entry in patterns:
        try:
            template, found = _pattern_template(entry.pattern, counter)
        except ValueError:
            yield prefix + str(entry.pattern), None, namespace, None
            continue
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(
                entry.url_patterns, prefix + template, (*params, *found), inner, counter
            )
        elif isinstance(entry, URLPattern):
            yield prefix + template, (*params, *found), namespace, entry


def all_routes() -> list[Route]:
    """Every URL pattern, in the resolver's order (those that cannot be built are skipped;
    `unbuildable()` lists them so that nothing is skipped silently)."""
    return [route for route in _routes() if isinstance(route, Route)]


def unbuildable() -> list[str]:
    return [entry for entry in _routes() if isinstance(entry, str)]


def _routes():
    for template, params, namespace, entry in _walk(get_resolver().url_patterns, counter=[0]):
        if entry is None:
            yield template
            continue
        name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
        callback = entry.callback
        module = getattr(callback, "__module__", "") or ""
        if getattr(callback, "view_class", None) is not None and module.startswith("wagtail"):
            module = f"{module}[{_view_model_app(callback)}]"
        yield Route(
            template="/" + template,
            params=tuple(params),
            name=name or "/" + template,
            module=module,
            admin=template.startswith("admin/"),
            callback=callback,
        )


def _is_project(route: Route) -> bool:
    module = route.module
    if any(module.startswith(app) for app in PROJECT_APPS):
        return True
    # Wagtail admin viewsets of our models (the audit log, forums, groups).
    match = re.search(r"\[(\w*)\]$", module)
    if match and match.group(1) in PROJECT_APPS:
        return True
    return not route.admin and module.startswith(THIRD_PARTY_MODULES)


def project_routes() -> list[Route]:
    """Routes whose answers the project is responsible for: every view of our apps (also
    those registered in the Wagtail admin), allauth, i18n, media, and Wagtail's page serving.
    The rest of the Wagtail admin is Wagtail's own, tested upstream."""
    return [route for route in all_routes() if _is_project(route)]


_READS = re.compile(
    r"""(?:request\.(?:GET|POST)|params|data)(?:\.get\(|\.getlist\(|\[)\s*["'](\w+)["']"""
    r"""|["'](\w+)["']\s+in\s+request\.(?:GET|POST)"""
)


@cache
def params_read_by_views() -> frozenset[str]:
    """Query and form parameters our code reads by name (request.GET.get("page"), …), found
    in the source so that a parameter added tomorrow is swept tomorrow. Read once per test
    process (the source does not change during a run): the sweep asks twice per route and
    role, and each reading walks every source file."""
    names: set[str] = set()
    base = Path(settings.BASE_DIR)
    for app in ("forums", "consultations", "courses", "search", "platform"):
        for source in (base / app).rglob("*.py"):
            if "migrations" in source.parts:
                continue
            for match in _READS.finditer(source.read_text(encoding="utf-8")):
                names.add(match.group(1) or match.group(2))
    return frozenset(names)
