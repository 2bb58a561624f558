"""One settings module, driven by environment variables (see the README's table).

With no variable set it runs the embedded default: SQLite in the project folder, the
in-memory channel layer, a local-memory cache, e-mail printed to the console, DEBUG on.
"""

from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import (
    database_from_env,
    env_bool,
    env_int,
    env_list,
    env_str,
    redis_url_from_env,
    require,
    require_list,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the repository root
PLATFORM_DIR = BASE_DIR / "platform"

DEBUG = env_bool("DJANGO_DEBUG", True)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-embedded-default-for-local-use-only"
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    # Production refuses to start without its secrets, naming what is missing.
    SECRET_KEY = require("SECRET_KEY")
    ALLOWED_HOSTS = require_list("ALLOWED_HOSTS")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",  # first, so that `runserver` is daphne's too
    # ours
    "accounts",
    "core",
    "courses",
    "forums",
    "consultations",
    "follows",
    "search",
    # Wagtail
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.settings",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.UsersAppConfig",  # wagtail.users, with our user screens
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # accounts
    "allauth",
    "allauth.account",
    "django_countries",
    # real time
    "channels",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Receipts and other work nobody waits for run after the answer is sent (core.after_response).
    "core.after_response.AfterResponseMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every page (below, "Security"); static files need none.
    "core.middleware.ContentSecurityPolicyMiddleware",
    # Cache reads a request will make, made together (one round trip for several).
    "core.read_together.ReadTogetherMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.UnknownLanguagePrefixMiddleware",
    # What every signed-in page reads from the cache, read together (core.read_together).
    "core.middleware.SignedInReadsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, the signed-in account's row from the cache.
    "core.account_cache.AccountCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Innermost: anonymous pages from the cache, every other middleware still runs on a hit.
    "core.page_cache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# Forms render Django's own widget, label and error templates in Python (same bytes, several
# times faster); any other or overridden template goes through the engine.
FORM_RENDERER = "core.form_renderer.FastRenderer"

# --- Data ------------------------------------------------------------------

DATABASES = {
    "default": database_from_env("DATABASE_URL", default_sqlite_path=BASE_DIR / "db.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = redis_url_from_env("REDIS_URL")

if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, answering "miss" while Redis is away (core/cache.py).
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "biosafety"),
            # A Redis that hangs must not hang every page: give up after a second.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # One process; the live hub drains its channel continuously, but a burst of events (a
    # moderator approving a page of posts) must not overflow the default 100 messages.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": 1000},
        }
    }

# --- Accounts --------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Nobody posts or comments before proving they own their address.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# A taken address is named on the sign-up form, as users of a public site expect.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Biosafety] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# The Wagtail admin has no sign-in of its own: /admin/login/ hands over to allauth's (see
# config/urls.py), so staff are verified and throttled like everyone else. Passwords are
# reset and changed through allauth only, whose forms are rate limited.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False

# --- Languages -------------------------------------------------------------

LANGUAGE_CODE = "en"
# The Protocol's six authentic languages.
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese (Simplified)")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Formats missing from Django's own locale files (Arabic has no date-and-time format).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The site's name: in the Wagtail admin, in account e-mails ("Hello from …") and, translated
# when it is the default, in every page's header and title.
DEFAULT_SITE_NAME = "Biosafety Participation Platform"
SITE_NAME = env_str("SITE_NAME") or DEFAULT_SITE_NAME
WAGTAIL_SITE_NAME = SITE_NAME
SITE_TITLE = _("Biosafety Participation Platform") if SITE_NAME == DEFAULT_SITE_NAME else SITE_NAME
# Links in e-mails; in production the first allowed host over HTTPS unless set.
WAGTAILADMIN_BASE_URL = env_str("SITE_URL") or (
    "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "csv", "txt"]

# --- Static and media ------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# Without `collectstatic` (DEBUG), WhiteNoise serves straight from the source folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Several machines share media through a shared folder (NFS) or S3-compatible storage
# (django-storages, the `s3` extra). Comment attachments stay in CONSULTATIONS_PRIVATE_ROOT.
MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET")
if MEDIA_S3_BUCKET:
    try:
        import storages  # noqa: F401
    except ImportError:
        raise ImproperlyConfigured(
            "MEDIA_S3_BUCKET needs django-storages: pip install -e '.[s3]'"
        ) from None
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": env_str("MEDIA_S3_REGION") or None,
            "custom_domain": env_str("MEDIA_S3_CUSTOM_DOMAIN") or None,
            "location": "media",
            "file_overwrite": False,  # two uploads of report.pdf keep two files
            "default_acl": None,  # the bucket's policy decides
            "querystring_auth": False,  # public media: stable URLs that browsers can cache
        },
    }
    # Documents in private collections must not be redirected to public bucket URLs: the
    # site streams each after Wagtail's privacy check, as it does from the file system.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- E-mail ----------------------------------------------------------------

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Biosafety Platform <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif env_str("EMAIL_FILE_PATH"):
    # Each message becomes a file: for staging and the browser tests.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Security --------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
if REDIS_URL:
    # Sessions read from the shared cache, written through to the database: a signed-in
    # request saves a query. Only with Redis: every worker must see a sign-out at once, which
    # per-process local memory would not. (Django's cached_db, readable with a page's route in
    # one round trip: core.sessions.)
    SESSION_ENGINE = "core.sessions"
# No script of ours reads the CSRF cookie (forms carry the token), so hide it from scripts.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
        # Only behind a proxy that sets (and strips client copies of) this header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Content-Security-Policy (django-csp; docs/permissions.md). The site has no inline script
# or style at all (tests/core/test_csp.py keeps it so), so scripts and styles come from our
# own origin only. Nonces: `request.csp_nonce` is there should an inline element ever be
# unavoidable; none is used today.
CSP_MEDIA_ORIGINS: list[str] = []
if MEDIA_S3_BUCKET:
    _custom = env_str("MEDIA_S3_CUSTOM_DOMAIN")
    _endpoint = env_str("MEDIA_S3_ENDPOINT_URL")
    if _custom:
        CSP_MEDIA_ORIGINS = [f"https://{_custom}"]
    elif _endpoint:
        CSP_MEDIA_ORIGINS = ["/".join(_endpoint.split("/")[:3])]
    else:
        CSP_MEDIA_ORIGINS = [
            f"https://{MEDIA_S3_BUCKET}.s3.amazonaws.com",
            "https://*.amazonaws.com",
        ]
# Lessons embed videos (courses.blocks.VideoBlock: "A YouTube or Vimeo address").
CSP_VIDEO_FRAMES = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *CSP_MEDIA_ORIGINS],
        "font-src": [SELF],
        "media-src": [SELF, *CSP_MEDIA_ORIGINS],
        # ws:// or wss:// of this host is added per request (core.middleware).
        "connect-src": [SELF],
        "frame-src": CSP_VIDEO_FRAMES,
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The Wagtail admin (/admin/): Wagtail writes inline scripts and styles and its checker uses
# eval, so those are allowed there, and only there; its preview is framed by the admin itself.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE, UNSAFE_EVAL],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *CSP_MEDIA_ORIGINS],
        "font-src": [SELF, "data:"],
        "frame-src": [SELF, *CSP_VIDEO_FRAMES],
        "frame-ancestors": [SELF],
    },
}
# The admin would otherwise load avatars from Gravatar (staff addresses, hashed, sent to a
# third party) and ask releases.wagtail.org for updates from staff browsers.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Domain ----------------------------------------------------------------

# The longest user rich text we store (posts, comments), in characters of clean HTML.
USER_HTML_MAX_LENGTH = env_int("USER_HTML_MAX_LENGTH", 20_000)
# Whole pages for anonymous visitors live at most this long in the cache, cleared earlier by
# the changes they show (core.page_cache, docs/page-cache.md); 0 turns the page cache off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_CLOCK_SKEW = float(env_str("PAGE_CACHE_CLOCK_SKEW", "0.5"))

# Live sockets (docs/realtime.md), per worker process: sockets of one signed-in session and of
# one client address (0: no limit; behind a proxy the address is the one it reports), protocol
# violations before a socket is closed (4400), and how often a signed-in socket re-checks its
# session and rights when no control message told it to.
LIVE_MAX_SOCKETS_PER_SESSION = env_int("LIVE_MAX_SOCKETS_PER_SESSION", 10)
LIVE_MAX_SOCKETS_PER_ADDRESS = env_int("LIVE_MAX_SOCKETS_PER_ADDRESS", 100)
LIVE_MAX_VIOLATIONS = env_int("LIVE_MAX_VIOLATIONS", 10)
LIVE_REAUTH_SECONDS = env_int("LIVE_REAUTH_SECONDS", 60)

# Wagtail's password forms (private pages, document collections): attempts per client address
# per window ("count/seconds").
PAGE_PASSWORD_RATE = env_str("PAGE_PASSWORD_RATE", "10/300")

# Forums: posts per participant per window ("count/seconds"; moderators are exempt) and the
# longest post. A malformed value stops `manage.py check` (forums.E001/E002).
FORUMS_POST_RATE = env_str("FORUMS_POST_RATE", "5/60")
FORUMS_POST_MAX_LENGTH = env_int("FORUMS_POST_MAX_LENGTH", 10_000)

# Consultations: comments per account per window, the largest PDF attachment, and where
# attachments live — outside MEDIA_ROOT, since unpublished ones (privacy requests) must never be
# served by the proxy; the site serves each after a permission check.
CONSULTATIONS_COMMENT_RATE = env_str("CONSULTATIONS_COMMENT_RATE", "10/60")
CONSULTATIONS_MAX_ATTACHMENT_BYTES = env_int("CONSULTATIONS_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
CONSULTATIONS_PRIVATE_ROOT = Path(env_str("CONSULTATIONS_PRIVATE_ROOT") or f"{MEDIA_ROOT}-private")
# Where a comment's follow-up (search entry, campaign placement, receipt) runs once its author
# has their answer: "after-response", on a background thread of the worker that took it (the
# embedded default), or "worker", handed over a Redis list to `manage.py consultations_followup`
# processes, so the web workers' cores answer requests (needs REDIS_URL; docs/speed.md).
CONSULTATIONS_FOLLOWUP = env_str("CONSULTATIONS_FOLLOWUP", "after-response")

# Search: the index follows the database (SQLite FTS5, PostgreSQL tsvector + GIN); a dotted
# path to a search.backends.base.SearchBackend subclass overrides it (docs/deploy.md).
SEARCH_BACKEND = env_str("SEARCH_BACKEND")
