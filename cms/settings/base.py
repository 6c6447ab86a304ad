"""Base settings: safe for production by default; every deployment value comes from the environment.

dev.py and test.py only set friendlier defaults on top of this file.
"""

import tempfile
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # wagtail_modeltranslation must come before the apps whose models it translates.
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "cms",
    "catalog",
    "forms_library",
    "search",
    "frontend",
    "portals",
    "wagtailcache",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
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
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_tasks",
    "django_tasks_db",
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

# Order matters for the page cache (Django's "Order of MIDDLEWARE"): responses travel upwards.
# WhiteNoise answers static files (already compressed, fingerprinted) before anything else. GZip
# compresses what ConditionalGet lets through, after ConditionalGet has taken the ETag of the
# uncompressed body. ConditionalGet sits above the page cache, so a cached page still answers
# If-None-Match with a 304 and a 304 is never what gets cached. The cache stores a response only
# once PageCacheHeaders has marked it public, which it does last, after the session, CSRF and
# locale middleware have set their cookies and Vary. The cache answers just below it, before the
# session, locale, CSRF and authentication middleware (a cached page needs none of them: that
# halves the cost of a hit); a request with a session cookie, a signed-in editor's, is never
# answered from it (frontend/wagtail_hooks.py), and an editor's page is private, never stored.
MIDDLEWARE = [
    "catalog.view_counts.ProcedureViewsMiddleware",  # first: sees cached responses too
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "wagtailcache.cache.UpdateCacheMiddleware",
    "cms.middleware.PageCacheHeadersMiddleware",
    "wagtailcache.cache.FetchFromCacheMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "cms.middleware.RefuseNullCharactersMiddleware",  # after CORS and locale: its 400 has both
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, next to the view: what a POST writes is all written or none of it.
    "cms.middleware.AtomicWritesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite behind a web server (Django's SQLite notes): in WAL mode readers never wait for
    # the writer; a writer waits up to `timeout` seconds for the lock instead of failing; and a
    # transaction takes the write lock when it begins, so it never has to upgrade a read lock
    # (an upgrade that collides with another writer fails at once with "database is locked").
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
    # Rendered pages (wagtail-cache) in a cache of their own, since a purge clears all of it.
    # By default files, which every worker process shares: a purge in the worker that served
    # the publish must reach the others (a per-process memory cache would not). With Redis give
    # it its own database (PAGE_CACHE_URL=redis://…/1): Redis's clear() flushes the whole
    # database, whatever the key prefix.
    "pages": env.cache(
        "PAGE_CACHE_URL", default=f"filecache://{Path(tempfile.gettempdir()) / 'thutuc-pages'}"
    ),
    # The feed's built records (catalog.record_cache), keyed by their procedure's latest change,
    # so never purged. In each process's memory by default; share one Redis database among the
    # workers in production (RECORD_CACHE_URL=redis://…/2).
    "records": env.cache("RECORD_CACHE_URL", default="locmemcache://thutuc-records"),
}
if CACHES["records"]["BACKEND"].endswith("LocMemCache"):
    # Room for every record of a 1,400-procedure province in both languages, several times
    # over (about 2.5 KB each); the default of 300 would keep less than one page of 500.
    CACHES["records"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 30_000)
WAGTAIL_CACHE_BACKEND = "pages"
# Off under DEBUG by default (`make run`): an edited template shows at once.
WAGTAIL_CACHE = env.bool("PAGE_CACHE", default=not DEBUG)
# How long a browser or proxy may reuse an anonymous page; the page cache keeps it as long
# (and drops it at once on publish, cms.middleware / frontend.cache).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# Procedure page views a worker adds up before writing them (catalog/view_counts.py).
VIEW_COUNTS_FLUSH_EVERY = env.int("VIEW_COUNTS_FLUSH_EVERY", default=50)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English second (django-modeltranslation reads LANGUAGES).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]  # each in its own language
MODELTRANSLATION_DEFAULT_LANGUAGE = "vi"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("vi",)
WAGTAILMODELTRANSLATION_TRANSLATE_SLUGS = False
MODELTRANSLATION_CUSTOM_FIELDS = (
    "PlainStreamField",
)  # cms.fields: a StreamField without references
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "frontend" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Thủ tục hành chính"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = (
    False  # one page tree; translations live in fields (wagtail-modeltranslation)
)
WAGTAILDOCS_DOCUMENT_MODEL = "forms_library.FormDocument"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "forms_library.forms.FormDocumentForm"
# The formats a form may come in; the content is checked too (forms_library/inspection.py).
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "rtf"]
WAGTAILDOCS_EXTENSIONS += ["png", "jpg", "jpeg"]
FORMS_MAX_UPLOAD_BYTES = env.int("FORMS_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
# Index and alias names start with it, so that several installations (or CI) share a cluster.
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", default="thutuc")

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "cms.api.CatalogPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["portals.throttling.FeedRateThrottle"],
}
# Anonymous clients of the feed, per address; a portal's key has its own rate (portals.Portal).
FEED_ANONYMOUS_RATE = env("FEED_ANONYMOUS_RATE", default="120/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Procedure catalogue feed API",
    "DESCRIPTION": "Read-only public API of the administrative procedure catalogue.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["cms.api.feed_endpoints_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cms.api.declare_error_answers",
        "cms.api.give_parameter_examples",
    ],
    # Swagger UI from the installed package, not a CDN: the docs work offline and CSP stays tight.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# The feed API is public and read-only: any origin may GET it.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# A portal's script may ask conditionally and with its key, and read what says where it is.
CORS_ALLOW_HEADERS = [
    "accept",
    "accept-language",
    "if-none-match",
    "if-modified-since",
    "x-api-key",
]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "X-Changes-Cursor", "Retry-After"]

# Tasks: Wagtail's own run at once (the default backend); webhooks go through the database
# queue, worked by `manage.py db_worker --backend webhooks` (make run starts one).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "webhooks": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"},
}
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_RETRY_BASE_SECONDS = env.int("WEBHOOK_RETRY_BASE_SECONDS", default=60)
# Outbound requests (webhooks) go to public https addresses only, unless a province runs its
# portals on its own network and says so here (then http and private addresses are allowed).
OUTBOUND_ALLOW_PRIVATE_NETWORKS = env.bool("OUTBOUND_ALLOW_PRIVATE_NETWORKS", default=False)
OUTBOUND_TIMEOUT_SECONDS = env.int("OUTBOUND_TIMEOUT_SECONDS", default=10)

# Secure headers by default.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # One line per page event and per background task drowns command output.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        "elastic_transport": {"level": "WARNING"},  # a line per request to Elasticsearch
    },
}

if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment; production never uses a default key."
    )
WAGTAIL_ALLOW_UNICODE_SLUGS = False  # ASCII slugs survive copy-paste into chat apps and SMS
