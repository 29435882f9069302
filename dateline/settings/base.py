"""Settings shared by every deployment, read from the environment (django-environ).

The defaults serve the embedded setup: a SQLite file under ``var/``, the local-memory cache and a
task backend that needs no broker. ``DATABASE_URL`` and ``REDIS_URL`` move the same code onto
PostgreSQL and Redis; ``.env.example`` lists every variable.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ

BASE_DIR = Path(__file__).resolve().parents[2]
PACKAGE_DIR = BASE_DIR / "dateline"

env = environ.Env()
# The test settings ignore .env, so an operator's .env never points the tests at their data.
if (BASE_DIR / ".env").is_file() and not env.bool("DATELINE_IGNORE_DOTENV", default=False):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("DATELINE_VAR_DIR", default=str(BASE_DIR / "var")))
SHARED_DATA_DIR = Path(
    env.str("DATELINE_SHARED_DATA", default=str(BASE_DIR.parent / "shared" / "data"))
)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_NAME = env.str("SITE_NAME", default="Dateline")
# The site's public address, the one base of every link in mail and exports (dateline.core.links)
# and of Wagtail's admin mail; `make demo` sets it from HOST and PORT. SITE_URL: its older name.
DATELINE_BASE_URL: str = env.str(
    "DATELINE_BASE_URL", default=env.str("SITE_URL", default="http://127.0.0.1:8000")
).rstrip("/")
SITE_URL = DATELINE_BASE_URL

INSTALLED_APPS = [
    "dateline.core",
    "dateline.readership",
    "dateline.news",
    "dateline.comments",
    "dateline.commenters",
    "dateline.readers",
    "dateline.newsletters",
    "dateline.moderation",
    "dateline.live",
    "dateline.feeds",
    "dateline.seo",
    "dateline.api",
    "dateline.portability",
    "dateline.demo",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Outside everything, the page cache included, so that every response carries them, a
    # cache hit too: CSP and Permissions-Policy (dateline.core.headers), X-Frame-Options.
    "dateline.core.headers.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dateline.core.middleware.RejectNulBytesMiddleware",
    # Database down, unreachable or locked: 503 + Retry-After, the comment form kept.
    "dateline.core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # zstd, Brotli or gzip, as the client accepts (Vary: Accept-Encoding); outside the page
    # cache, so its hits are compressed too. WhiteNoise serves its own precompressed files.
    "compression_middleware.middleware.CompressionMiddleware",
    "dateline.core.pagecache.PageCacheMiddleware",
    "dateline.news.routing.SiteMiddleware",  # the request's site without a query (news.routing)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in readers by their own cookie, only where pages are never shared (dateline.readers).
    "dateline.readers.middleware.ReaderMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Wagtail's redirects, never one to the address asked for (dateline.core.redirects).
    "dateline.core.redirects.RedirectMiddleware",
    # Innermost but for the splice: turns a throttled sign-in into the sign-in page with the
    # reason (dateline.core.signin).
    "axes.middleware.AxesMiddleware",
    # Puts a page's large kept HTML (a page of the thread) into its bytes once it is rendered,
    # instead of through every template level (dateline.core.splice); the bytes are the same.
    "dateline.core.splice.SpliceMiddleware",
]

ROOT_URLCONF = "dateline.urls"
WSGI_APPLICATION = "dateline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dateline.news.context_processors.site",
                "dateline.live.context_processors.breaking",
            ],
        },
    },
    # The comment thread only (dateline/comments/jinja2/; docs/decisions/0051-comment-thread-
    # in-jinja.md). Django's engine comes first, so every other template name resolves there.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "dateline.comments.jinja.environment"},
    },
]

# --- Database -------------------------------------------------------------------------------
SQLITE_BUSY_TIMEOUT = env.int("SQLITE_BUSY_TIMEOUT", default=10)
# Pages of write-ahead log before a commit copies them back into the database file (SQLite's
# default is 1,000). 10,000 pages is about 40 MB: each checkpoint writes a busy index page once
# instead of once every few dozen comments, and fsyncs a tenth as often (docs/performance.md).
SQLITE_WAL_AUTOCHECKPOINT = env.int("SQLITE_WAL_AUTOCHECKPOINT", default=10_000)


def sqlite_options(timeout: int = SQLITE_BUSY_TIMEOUT) -> dict[str, Any]:
    """Connection options for SQLite serving a website.

    WAL lets readers work while one writer writes; the busy timeout makes a writer wait for the
    lock instead of failing at once; IMMEDIATE takes the write lock at BEGIN, so two writers
    never deadlock upgrading read locks (the writer that waits, waits at the start). The log is
    checkpointed every SQLITE_WAL_AUTOCHECKPOINT pages and cut back to 64 MB afterwards.
    """
    return {
        "timeout": timeout,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-20000; "
            f"PRAGMA wal_autocheckpoint={SQLITE_WAL_AUTOCHECKPOINT:d}; "
            "PRAGMA journal_size_limit=67108864"
        ),
    }


DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'dateline.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(sqlite_options())
# Keep connections between requests (SQLite too: opening one and running its PRAGMAs costs
# more than many a request's own work).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions --------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="dateline"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                # Redis down: the cache reads as empty (logged) instead of a 500 on every page
                # (Wagtail reads its site roots from it). The comment rate limiter talks to
                # Redis itself and holds comments while it is down (docs/moderation.md).
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    CACHES["pages"] = {
        **CACHES["default"],
        "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + ":pages",
    }
    # Sessions are read from Redis and written through to the database, so a Redis restart
    # signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dateline",
        },
        # Wagtail looks image renditions up here before asking the database.
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "renditions",
            "TIMEOUT": 600,
        },
        # Shared by every worker process, so an invalidation in one is seen by all.
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache" / "pages"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Serve anonymous readers from the full-page cache (dateline.core.pagecache).
DATELINE_PAGE_CACHE = env.bool("DATELINE_PAGE_CACHE", default=True)
# A front cache (Varnish, a CDN) keeps anonymous pages this many seconds (s-maxage), and may serve
# one this many seconds past that while it fetches a fresh copy (stale-while-revalidate). Every
# change purges what it touches (dateline.core.frontcache), so the TTL only bounds a lost purge.
DATELINE_FRONT_CACHE_TTL = env.int("DATELINE_FRONT_CACHE_TTL", default=3600)
DATELINE_FRONT_CACHE_STALE = env.int("DATELINE_FRONT_CACHE_STALE", default=30)
# Varnish servers to purge by surrogate key (xkey), e.g. http://127.0.0.1:8080; none: no purge.
DATELINE_VARNISH_URLS: list[str] = env.list("DATELINE_VARNISH_URLS", default=[])
# CDNs purged by URL through wagtail.contrib.frontend_cache (docs/operations.md), when set.
WAGTAILFRONTENDCACHE: dict[str, dict[str, Any]] = {}
if env.str("CLOUDFLARE_ZONE_ID", default=""):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env.str("CLOUDFLARE_ZONE_ID"),
        "BEARER_TOKEN": env.str("CLOUDFLARE_BEARER_TOKEN"),
    }
if env.str("CLOUDFRONT_DISTRIBUTION_ID", default=""):
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": env.str("CLOUDFRONT_DISTRIBUTION_ID"),
    }
if WAGTAILFRONTENDCACHE:
    # Its own signal handlers purge a page's URLs when it is published or unpublished.
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")

# --- Tasks -----------------------------------------------------------------------------------
# "database" runs tasks in `manage.py db_worker` (started by `make demo` and `make serve`);
# "immediate" runs them in the request, after commit.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        # The queues tasks may name (a worker runs some with `run_worker --queue-name`).
        "QUEUES": env.list("TASKS_QUEUES", default=["default"]),
    }
}
# Seconds between the task worker's heartbeats (`manage.py run_worker`), read by /healthz and
# the admin's dashboard; a worker silent for four of them (at least a minute) is "not answering".
DATELINE_WORKER_HEARTBEAT = env.int("DATELINE_WORKER_HEARTBEAT", default=10)

# --- Auth ------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# Sign-in throttling (django-axes; dateline.core.signin, docs/decisions/0064-sign-in-throttling.md):
# failed sign-ins are counted per account at one address and per address; over either limit,
# signing in is refused (even with the right password) until the cool-off has passed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "dateline.core.signin.SignInThrottle"
AXES_LOCKOUT_PARAMETERS = "dateline.core.signin.lockout_parameters"
AXES_FAILURE_LIMIT = env.int("DATELINE_SIGNIN_ACCOUNT_FAILURE_LIMIT", default=5)
DATELINE_SIGNIN_NETWORK_FAILURE_LIMIT = env.int("DATELINE_SIGNIN_NETWORK_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DATELINE_SIGNIN_COOLOFF_MINUTES", default=15))
AXES_CLIENT_IP_CALLABLE = "dateline.core.net.client_ip"
AXES_LOCKOUT_CALLABLE = "dateline.core.signin.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # failures only: no table of every sign-in's address
# Tries refused during a lockout are not stored: a client hammering the form cannot grow the
# stored attempt (axes appends each try's form data to it). The cool-off counts from the last
# stored failure, so "try again in N minutes" is the longest wait.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ADMIN = False

# --- Security headers (dateline.core.headers, docs/decisions/0065-content-security-policy.md) ---
# The reader site: no inline script or style at all (JSON-LD is data, not script), nothing from
# other sites, never framed.
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "frame-src": ["'none'"],
        "worker-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Wagtail's admin and the API's Swagger page run inline scripts and styles of their own; they
# may frame, and be framed by, our own pages only (Wagtail's preview).
DATELINE_TOOLS_PATHS = ["/admin/", "/api/v1/docs/"]
DATELINE_TOOLS_CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:"],
        "frame-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
# Browser features no page of ours uses, refused to the page and to anything it frames.
DATELINE_PERMISSIONS_POLICY: dict[str, list[str]] = {
    name: []
    for name in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "en"
# One date format across the site and the admin ("7 December 2026, 09:00 UTC"): dateline/formats.
FORMAT_MODULE_PATH = ["dateline.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
# Languages an article may be written in; right-to-left ones get dir="rtl".
DATELINE_ARTICLE_LANGUAGES = [
    ("en", "English"),
    ("ar", "Arabic"),
    ("de", "German"),
    ("es", "Spanish"),
    ("fa", "Persian"),
    ("fr", "French"),
    ("he", "Hebrew"),
    ("ru", "Russian"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
]

# --- Static and media ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# The embedded setup has no web server in front to serve uploads; a front server takes over
# when SERVE_MEDIA=0.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Mail ------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Dateline <newsroom@dateline.example>")
# Newsletters (dateline.newsletters, docs/newsletters.md): their sender address (the name is the
# newsletter's or the site's), the batch a send claims at a time, how long one task sends before
# it queues the rest, when a send without a heartbeat is resumed, how early a scheduled issue is
# prepared for editors to look at, how late a missed one still goes, one confirmation mail per
# address per interval, subscription requests per network per hour, the bounce webhook's token
# (empty: the webhook is off), and how recent a first publication must be to send alerts.
DATELINE_NEWSLETTER_FROM_EMAIL = env.str(
    "DATELINE_NEWSLETTER_FROM_EMAIL", default=DEFAULT_FROM_EMAIL
)
DATELINE_NEWSLETTER_BATCH_SIZE = env.int("DATELINE_NEWSLETTER_BATCH_SIZE", default=100)
DATELINE_NEWSLETTER_RUN_SECONDS = env.int("DATELINE_NEWSLETTER_RUN_SECONDS", default=240)
DATELINE_NEWSLETTER_STALE_SECONDS = env.int("DATELINE_NEWSLETTER_STALE_SECONDS", default=600)
DATELINE_NEWSLETTER_PREPARE_MINUTES = env.int("DATELINE_NEWSLETTER_PREPARE_MINUTES", default=60)
DATELINE_NEWSLETTER_LATE_MINUTES = env.int("DATELINE_NEWSLETTER_LATE_MINUTES", default=120)
DATELINE_NEWSLETTER_CONFIRM_INTERVAL = env.int("DATELINE_NEWSLETTER_CONFIRM_INTERVAL", default=120)
DATELINE_NEWSLETTER_REQUESTS_PER_HOUR = env.int("DATELINE_NEWSLETTER_REQUESTS_PER_HOUR", default=30)
DATELINE_NEWSLETTER_WEBHOOK_TOKEN = env.str("DATELINE_NEWSLETTER_WEBHOOK_TOKEN", default="")
DATELINE_NEWSLETTER_ALERT_WINDOW = env.int("DATELINE_NEWSLETTER_ALERT_WINDOW", default=3600)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Wagtail ---------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = SITE_NAME
WAGTAILADMIN_BASE_URL = DATELINE_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no third-party requests
# No staff email hashes to gravatar.com: staff get the avatar their comments carry
# (comments.wagtail_hooks.staff_avatar_url), or the one they upload in their account.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_WORKFLOW_REQUIRE_APPROVAL_TO_PUBLISH = False
WAGTAIL_AUTOSAVE_INTERVAL = env.int("WAGTAIL_AUTOSAVE_INTERVAL", default=500)
# Renditions are made on a reader's page view; a write MEDIA_ROOT refuses (a full disk) shows the
# page without the picture instead of a 500, logged once (dateline.core.media).
WAGTAILIMAGES_RENDITION_STORAGE = "dateline.core.media.RenditionStorage"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "webp", "bmp": "jpeg", "gif": "gif", "webp": "webp"}

# --- Dateline --------------------------------------------------------------------------------
DATELINE_SECTION_PAGE_SIZE = env.int("DATELINE_SECTION_PAGE_SIZE", default=20)
DATELINE_HOME_LATEST = env.int("DATELINE_HOME_LATEST", default=12)
DATELINE_HOME_PER_SECTION = env.int("DATELINE_HOME_PER_SECTION", default=3)
# Most read (dateline.readership, docs/frontpage.md): counted per page and hour from the article
# page's beacon; a network (/24, /48) adds at most PAGE_LIMIT reads of one page and NETWORK_LIMIT
# reads in all per WINDOW seconds. "Most read" covers the last HOURS and is chosen anew every
# REFRESH seconds (the front page is kept until then).
DATELINE_READERSHIP_WINDOW = env.int("DATELINE_READERSHIP_WINDOW", default=600)
DATELINE_READERSHIP_PAGE_LIMIT = env.int("DATELINE_READERSHIP_PAGE_LIMIT", default=20)
DATELINE_READERSHIP_NETWORK_LIMIT = env.int("DATELINE_READERSHIP_NETWORK_LIMIT", default=200)
DATELINE_MOST_READ_HOURS = env.int("DATELINE_MOST_READ_HOURS", default=24)
DATELINE_MOST_READ_REFRESH = env.int("DATELINE_MOST_READ_REFRESH", default=300)
# Page types that are live coverage (app_label.ModelName; those not installed are skipped): the
# front page's live strip lists the newest of them.
DATELINE_LIVE_PAGE_MODELS: list[str] = env.list(
    "DATELINE_LIVE_PAGE_MODELS", default=["live.LivePage"]
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        # Redis down: every cache call fails; one line every 10 s says so (docs/operations.md).
        "redis_down": {
            "()": "dateline.core.logs.EveryFewSeconds",
            "seconds": 10,
            "summary": "Redis unavailable, the cache reads as empty",
        },
        # The database down or locked: every request that needs it is a 503.
        "database_down": {"()": "dateline.core.logs.EveryFewSeconds", "seconds": 10},
        # The same for the comment rate limiter (each comment held says why in its reasons).
        "limiter_down": {
            "()": "dateline.core.logs.EveryFewSeconds",
            "seconds": 10,
            "summary": "comment rate limiter unavailable, comments are held",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django_redis.cache": {"filters": ["redis_down"]},
        "dateline.comments.guards": {"filters": ["limiter_down"]},
        "dateline.core.middleware.unavailable": {"filters": ["database_down"]},
        "wagtail": {"level": env.str("WAGTAIL_LOG_LEVEL", default="WARNING")},
    },
}

# --- Comments ----------------------------------------------------------------------------------
# In this order (docs/moderation.md, "Rules"): refusals first, then spam, then holds.
DATELINE_COMMENT_RULES = [
    "dateline.moderation.rules.StaffAuthor",
    # Bans made at the moderators' desk: straight to spam, with "Banned until …".
    "dateline.moderation.bans.BannedCommenter",
    "dateline.moderation.rules.SignedInOnly",
    "dateline.moderation.rules.RequireNameEmail",
    "dateline.moderation.rules.MaxLength",
    "dateline.moderation.rules.CloseOldArticles",
    "dateline.moderation.rules.ModerationHours",
    "dateline.moderation.rules.DisallowedWords",
    "dateline.moderation.rules.BlockedLinkDomains",
    "dateline.moderation.rules.ModerationWords",
    "dateline.moderation.rules.DisposableEmail",
    "dateline.moderation.rules.LinkLimit",
    "dateline.moderation.rules.RepeatPost",
    "dateline.moderation.rules.RecentlyRejected",
    "dateline.moderation.rules.PreModeration",
    "dateline.moderation.rules.FirstTimeCommenter",
    # Trained filters (manage.py train_filters); each says nothing while no model is trained.
    "dateline.moderation.scoring.SpamScore",
    "dateline.moderation.scoring.AbusiveLanguage",
]
# How long the author of a pending comment sees it on their own page views (seconds).
DATELINE_OWN_COMMENTS_TTL = env.int("DATELINE_OWN_COMMENTS_TTL", default=2 * 3600)
# Reply notifications a reader may receive per hour, and confirmation mails per address per day.
DATELINE_REPLY_MAIL_PER_HOUR = env.int("DATELINE_REPLY_MAIL_PER_HOUR", default=6)
DATELINE_CONFIRM_MAIL_PER_DAY = env.int("DATELINE_CONFIRM_MAIL_PER_DAY", default=3)
# Export/erasure links mailed to one address per day (commenters' rights, /privacy/).
DATELINE_PRIVACY_REQUESTS_PER_DAY = env.int("DATELINE_PRIVACY_REQUESTS_PER_DAY", default=3)
# run_scheduler sends the moderators' daily digest after this hour (site time).
DATELINE_DIGEST_HOUR = env.int("DATELINE_DIGEST_HOUR", default=8)
# Section and article overrides of the site's comment settings (dateline.comments.policy).
DATELINE_COMMENT_POLICY_OVERRIDES = "dateline.moderation.policy.with_overrides"
# Anti-spam guards (docs/moderation.md, "Anti-spam"): a form sent back sooner than this is held;
# one older than this comes back to be sent again (longer than the page cache keeps a page).
DATELINE_COMMENT_MIN_SECONDS = env.int("DATELINE_COMMENT_MIN_SECONDS", default=3)
DATELINE_COMMENT_FORM_MAX_AGE = env.int("DATELINE_COMMENT_FORM_MAX_AGE", default=48 * 3600)
# (comments, seconds) per commenter (email or account) and per network (/24 or /48).
DATELINE_COMMENT_RATE_LIMITS: dict[str, list[tuple[int, int]]] = {
    "commenter": [(1, 15), (20, 3600)],
    "network": [(env.int("DATELINE_COMMENT_NETWORK_PER_HOUR", default=60), 3600)],
}
# Likes and reports a network (/24 or /48) may send per hour.
DATELINE_REACTIONS_PER_HOUR = env.int("DATELINE_REACTIONS_PER_HOUR", default=120)
# Seconds a client is asked to wait (Retry-After) when the database cannot be reached.
DATELINE_DATABASE_RETRY_AFTER = env.int("DATELINE_DATABASE_RETRY_AFTER", default=30)
# Number of trusted reverse proxies in front of the site (X-Forwarded-For hops to skip).
DATELINE_TRUSTED_PROXY_COUNT = env.int("DATELINE_TRUSTED_PROXY_COUNT", default=0)

# --- Reader accounts (dateline.readers, docs/readers.md) ----------------------------------------
# Minutes an emailed sign-in link works (once); days a reader stays signed in on a browser.
DATELINE_READER_LINK_MINUTES = env.int("DATELINE_READER_LINK_MINUTES", default=20)
DATELINE_READER_SESSION_DAYS = env.int("DATELINE_READER_SESSION_DAYS", default=30)
# Sign-in links asked for, per address and per network (/24, /48), each per hour.
DATELINE_READER_SIGNIN_PER_ADDRESS = env.int("DATELINE_READER_SIGNIN_PER_ADDRESS", default=5)
DATELINE_READER_SIGNIN_PER_NETWORK = env.int("DATELINE_READER_SIGNIN_PER_NETWORK", default=30)
# Where a GET is answered for the signed-in reader (the reader cookie is read); every other page
# is the anonymous one, shared by the caches. deploy/varnish/dateline.vcl passes the same paths.
DATELINE_READER_PATHS: list[str] = env.list(
    "DATELINE_READER_PATHS", default=["/readers/", "/newsletters/"]
)
# Sign-in through OpenID Connect providers (dateline.readers.oidc, docs/readers.md): their short
# names, then per NAME (upper case, "-" as "_") DATELINE_READER_OIDC_<NAME>_ISSUER, _CLIENT_ID,
# _CLIENT_SECRET, _DISPLAY_NAME and optionally _AUTHORIZATION_ENDPOINT, _TOKEN_ENDPOINT,
# _USERINFO_ENDPOINT, _JWKS_ENDPOINT (else from the issuer's discovery document), _SCOPES,
# _SIGN_ALGO. None (the default): no button, and no request to anyone.
DATELINE_READER_OIDC_PROVIDERS: dict[str, dict[str, str]] = {
    name: {
        field: env.str(f"DATELINE_READER_OIDC_{name.upper().replace('-', '_')}_{field.upper()}", "")
        for field in (
            *("issuer", "client_id", "client_secret", "display_name", "scopes", "sign_algo"),
            *("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_endpoint"),
        )
    }
    for name in env.list("DATELINE_READER_OIDC_PROVIDERS", default=[])
}
# Seconds to wait for a provider's answer; a provider that does not answer gets readers a 503.
DATELINE_READER_OIDC_TIMEOUT = env.float("DATELINE_READER_OIDC_TIMEOUT", default=5.0)
# mozilla-django-oidc: sign-ins under way per browser (kept in a signed cookie, not a session).
OIDC_MAX_STATES = 5
# `make demo` only: /demo/mailbox/ lists the mail written by the file backend (EMAIL_URL
# filemail://…), sign-in links included. Production settings refuse it.
DATELINE_DEMO_MAILBOX = env.bool("DATELINE_DEMO_MAILBOX", default=False)

# --- Moderation ----------------------------------------------------------------------------------
# Trained spam and abusive-language models (`manage.py train_filters`); none: the rules alone.
DATELINE_MODEL_DIR = Path(env.str("DATELINE_MODEL_DIR", default=str(VAR_DIR / "models")))
# run_scheduler queues the retraining from moderators' decisions once a night, after this hour
# (never on the day it starts). Retraining (docs/retraining-draft.md) starts from the base corpus
# the live model records, needs this many moderators' decisions with this many of each class,
# and runs at most once in DATELINE_RETRAIN_MIN_HOURS.
DATELINE_RETRAIN_HOUR = env.int("DATELINE_RETRAIN_HOUR", default=3)
DATELINE_RETRAIN_MIN_DECISIONS = env.int("DATELINE_RETRAIN_MIN_DECISIONS", default=200)
DATELINE_RETRAIN_MIN_PER_CLASS = env.int("DATELINE_RETRAIN_MIN_PER_CLASS", default=20)
DATELINE_RETRAIN_MIN_HOURS = 20
# A decision counts as this many base examples; all of them together at most this share of the
# base corpus' weight, so moderators' decisions can never outweigh it.
DATELINE_RETRAIN_DECISION_WEIGHT = 3.0
DATELINE_RETRAIN_DECISION_SHARE = 0.5
# A retrained model replaces the live one only if, on the validation set kept with the model,
# its AUC is not lower by more than this and it stops no larger share of legitimate examples
# (give or take this share) at either threshold.
DATELINE_RETRAIN_AUC_TOLERANCE = 0.005
DATELINE_RETRAIN_LEGITIMATE_TOLERANCE = 0.002
# Files of earlier models kept per kind (for rollback); older ones are removed, their history kept.
DATELINE_FILTER_VERSIONS_KEPT = 5

# --- API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],  # public endpoints; staff views name their own
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        # Nesting and size checked before decoding (docs/decisions/0060-api-json-limits.md).
        "dateline.api.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dateline API",
    "DESCRIPTION": "Articles, sections, authors, tags and the conversation. No email address is ever part of a response.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["dateline.api.schema.only_public_api"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
CSRF_FAILURE_VIEW = "dateline.core.views.csrf_failure"

# --- Live coverage (dateline.live, docs/live.md) --------------------------------------------
# Seconds the caches keep a live page's newest updates (its script's address) and the
# breaking-news banner at most; both are purged on every change, this only bounds a lost purge.
DATELINE_LIVE_POLL_TTL = env.int("DATELINE_LIVE_POLL_TTL", default=15)
DATELINE_BREAKING_TTL = env.int("DATELINE_BREAKING_TTL", default=30)
# How often, in seconds, a reader's page asks for new updates and for the banner.
DATELINE_LIVE_POLL_EVERY = env.int("DATELINE_LIVE_POLL_EVERY", default=20)
DATELINE_BREAKING_POLL_EVERY = env.int("DATELINE_BREAKING_POLL_EVERY", default=60)
