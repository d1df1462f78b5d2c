"""Settings for Bailanys, read from the environment (and from `.env`, which `make setup` writes).

Production is the default: DEBUG off, a secret key and allowed hosts required, secure cookies.
`make demo` sets DJANGO_DEBUG=1 for a development server on 127.0.0.1.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Values already in the environment win over the file.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Under pytest: relaxed throttles and rate limits, insecure cookies for the test client.
TESTING = env.bool("BAILANYS_TESTING", default="pytest" in sys.modules)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set (make setup writes one into .env)")

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG or TESTING else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "procrastinate.contrib.django",
    "portal",
    "records",
]

MIDDLEWARE = [
    # First: /health/ and /ready/ answer before any host check, redirect, session or cache.
    "portal.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Which database a request reads published data from (primary or a replica), before anything reads.
    "portal.replicas.ReplicaMiddleware",
    "portal.middleware.BodySizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "records.api.middleware.APIErrorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Anonymous reads from the cache keyed to the publication version (after the language is known).
    "records.caching.PublicationCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last: turns a sign-in refused by the lockout (portal/auth_backends.py) into a 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
                "portal.context_processors.workspace",
            ],
        },
    },
]


# ---------------------------------------------------------------- database
def _database(url: str) -> dict:
    database = env.db_url_config(url)
    database.setdefault("OPTIONS", {})
    database["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    database["CONN_HEALTH_CHECKS"] = True
    # A request never waits on a lock or a query for long; approvals take row locks briefly.
    database["OPTIONS"].setdefault(
        "options", f"-c statement_timeout={env.int('DATABASE_STATEMENT_TIMEOUT_MS', default=30000)}"
    )
    database["OPTIONS"].setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
    return database


DATABASES = {"default": _database(env.str("DATABASE_URL", default="postgres://bailanys@127.0.0.1:5432/bailanys"))}
# Connection pooling (psycopg_pool, through Django's `pool` option): each process keeps between
# DATABASE_POOL_MIN_SIZE and DATABASE_POOL_MAX_SIZE connections to the primary and lends them to its
# requests (threads); a request waits up to DATABASE_POOL_TIMEOUT seconds for one, then gets 503.
# Off by default (0): a sync gunicorn worker holds one persistent connection (DATABASE_CONN_MAX_AGE),
# which notices an outage and a recovery at once; psycopg_pool retries a lost server with a growing
# delay, so after an outage it may take many seconds to serve again. Set it with threaded workers
# (GUNICORN_THREADS): PostgreSQL must allow (app processes) x max size (+ workers, + a margin).
DATABASE_POOL_MAX_SIZE = env.int("DATABASE_POOL_MAX_SIZE", default=0)
if DATABASE_POOL_MAX_SIZE:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections (Django requires 0 with it)
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": min(env.int("DATABASE_POOL_MIN_SIZE", default=1), DATABASE_POOL_MAX_SIZE),
        "max_size": DATABASE_POOL_MAX_SIZE,
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
    }
# Read replicas (portal/replicas.py): PostgreSQL streaming replicas of the primary, comma-separated.
# They keep persistent connections (not pooled), so one that goes away is noticed at the next request.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    DATABASES[f"replica{_number}"] = {**_database(_url), "TEST": {"MIRROR": "default"}}
    DATABASES[f"replica{_number}"]["OPTIONS"]["connect_timeout"] = env.int(
        "DATABASE_REPLICA_CONNECT_TIMEOUT", default=2
    )
    DATABASE_REPLICAS.append(f"replica{_number}")
DATABASE_ROUTERS = ["portal.replicas.ReplicaRouter"] if DATABASE_REPLICAS else []
# After a write, the caller's reads go to the primary for this long (read-your-own-writes).
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=30)
# A replica that refused a connection is not asked again for this long.
DATABASE_REPLICA_RETRY_SECONDS = env.int("DATABASE_REPLICA_RETRY_SECONDS", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"

# ---------------------------------------------------------------- accounts
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# portal/auth_backends.py: the lockout first, then the password checks (which refuse system
# accounts), then the permissions of inactive system accounts for the portal's own tools.
AUTHENTICATION_BACKENDS = [
    "portal.auth_backends.LockoutBackend",
    "portal.auth_backends.AccountBackend",
    "portal.auth_backends.AllauthAccountBackend",
    "portal.auth_backends.SystemAccountPermissions",
]
# Brute force (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one account, or from one
# address, further sign-ins there are refused (429) for AXES_COOLOFF_MINUTES, the right password too;
# `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS` / `axes_reset` lift a lockout early.
# allauth's rate limits (and the API's "auth" throttle) slow sign-ins before that.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=1000 if TESTING else 10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in the portal's own audit log
AXES_CLIENT_IP_CALLABLE = "portal.audit.client_ip"
AXES_USERNAME_CALLABLE = "portal.accounts.lockout_username"
AXES_LOCKOUT_CALLABLE = "portal.accounts.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
if TESTING:
    ACCOUNT_RATE_LIMITS = False
    # Deliberately slow password hashing costs seconds per test user; tests need no brute-force resistance.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Bailanys"

# ---------------------------------------------------------------- e-mail
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / ".state" / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Bailanys <noreply@bailanys.invalid>")

# ---------------------------------------------------------------- i18n
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")]
# locale/: the portal's own strings (makemessages); locale_libs/: Kazakh for allauth's and Django's
# strings that their own catalogues lack. Earlier entries win.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_libs"]
USE_I18N = True
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

# ---------------------------------------------------------------- static files
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor", BASE_DIR / "node_modules")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# In development and tests static files are served from the source folders, not from STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# ---------------------------------------------------------------- security
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not (DEBUG or TESTING))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0)
# With HSTS on, subdomains are covered and the site may be preloaded into browsers; switch these off
# only if a subdomain must still be reached over plain HTTP.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_PROXY", default=False) else None
)
# The map's basemap: country outlines from the world-atlas npm package, served here. A deployment
# with its own raster tile server may set MAP_TILE_URL (https://tiles.example.org/{z}/{x}/{y}.png):
# the map then lays its tiles under the outlines (their origin is added to the CSP's img-src).
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")


def content_security_policy(tile_url: str) -> dict:
    """The CSP: everything from this origin, no inline script or style; images from the tile server too."""
    origin = "/".join(tile_url.split("/")[:3]) if tile_url.startswith(("https://", "http://")) else ""
    directives = {name: ["'self'"] for name in ("default-src", "img-src", "style-src", "script-src")}
    directives["img-src"] += ["data:", *([origin] if origin else [])]
    return {"DIRECTIVES": {**directives, "frame-ancestors": ["'none'"], "form-action": ["'self'"]}}


CONTENT_SECURITY_POLICY = content_security_policy(MAP_TILE_URL)
# Largest request body accepted anywhere; larger bodies get 413 before they are read.
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=1_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_BYTES

# CORS: other research sites may read the API from the browser; nothing else crosses origins.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
# Headers a browser script on another site may read: revisions, pages, throttling, downloads.
CORS_EXPOSE_HEADERS = ["ETag", "Link", "Retry-After", "Content-Disposition"]

# ---------------------------------------------------------------- API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "records.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "records.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["records.api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "records.api.negotiation.FormatNegotiation",
    # Rates are read on every request (records/api/throttling.py), so tests and deployments can change them.
    "DEFAULT_THROTTLE_CLASSES": [
        "records.api.throttling.AnonThrottle",
        "records.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="10000/hour" if TESTING else "600/minute"),
        "user": env.str("API_THROTTLE_USER", default="20000/hour" if TESTING else "1200/minute"),
        "auth": env.str("API_THROTTLE_AUTH", default="1000/minute" if TESTING else "20/minute"),
        "export": env.str("API_THROTTLE_EXPORT", default="1000/minute" if TESTING else "30/hour"),
    },
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# How many days an API token lives (portal/tokens.py); after that the account makes a new one.
BAILANYS_API_TOKEN_DAYS = env.int("BAILANYS_API_TOKEN_DAYS", default=90)
# The most records one streamed export (`?all=1`) may hold; larger ones are refused with 400.
API_EXPORT_MAX_ROWS = env.int("API_EXPORT_MAX_ROWS", default=100_000)
# Bulk imports (records/imports/): the largest file, the most rows one file and one import's proposal may
# hold (API change sets hold at most 100), and the largest file checked inside the request (larger ones by
# a background worker). The paths that upload files may send bodies of IMPORT_MAX_BYTES.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20_000_000)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50_000)
IMPORT_MAX_ITEMS = env.int("IMPORT_MAX_ITEMS", default=50_000)
IMPORT_INLINE_MAX_BYTES = env.int("IMPORT_INLINE_MAX_BYTES", default=100_000)
IMPORT_UPLOAD_PATHS = ("/api/v1/imports/", "/imports/new/")
# The record types, as records.models.base.RecordType and the registry (records/content/types.py) have
# them: settings are read before the models load, so they are named here once more, for the API
# schema's enum names (tests/records/test_record_types.py checks that the three agree).
RECORD_TYPES = ("place", "organization", "person", "agreement", "event", "statistic", "source")
SPECTACULAR_SETTINGS = {
    "TITLE": "Bailanys API",
    "DESCRIPTION": "Regional foreign relations of Kazakhstan: published records, their history, "
    "and proposals for review.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Names for the choice sets of the proposal shapes (records/api/schema_extensions.py).
    "ENUM_NAME_OVERRIDES": {
        "RecordTypeEnum": list(RECORD_TYPES),
        "ItemRecordTypeEnum": "records.models.base.RecordType",
        "ChangeActionEnum": "records.models.proposals.ProposalAction",
        "RevisionActionEnum": "records.models.revisions.Revision.Action",
        "SuccessionKindEnum": "records.models.base.Succession.Kind",
        "ProposalStatusEnum": "records.models.proposals.ProposalStatus",
        **{f"{action.capitalize()}ActionEnum": [action] for action in ("create", "update", "withdraw", "revert")},
        **{f"{name.capitalize()}TypeEnum": [name] for name in RECORD_TYPES},
    },
}

# Redis (REDIS_URL, e.g. redis://127.0.0.1:6379/0; `BAILANYS_REDIS=1 make setup` starts one and sets it)
# shares the caches between workers and machines; without it each process keeps its own in local
# memory. The test suite keeps its caches in memory always: its workers clear them per test.
REDIS_URL = "" if TESTING else env.str("REDIS_URL", default="")


def _cache(prefix: str, entries: int) -> dict:
    if REDIS_URL:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}
    if env.bool("BAILANYS_DB_CACHE", default=False):
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "bailanys-cache",
            "KEY_PREFIX": prefix,
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": f"bailanys-{prefix}",
        "OPTIONS": {"MAX_ENTRIES": entries},
    }


CACHES = {
    "default": _cache("default", 300),
    # Anonymous responses under the publication version (records/caching.py).
    "publication": {
        **_cache("publication", env.int("PUBLICATION_CACHE_ENTRIES", default=500)),
        "TIMEOUT": env.int("PUBLICATION_CACHE_SECONDS", default=3600),
    },
}
PUBLICATION_CACHE_ALIAS = "publication"
# How long browsers and proxies may reuse an anonymous response before revalidating (seconds).
PUBLICATION_CACHE_MAX_AGE = env.int("PUBLICATION_CACHE_MAX_AGE", default=30)
# Larger responses are not stored (they would crowd out many small ones); entries × bytes bounds a
# worker's memory for the cache without Redis (500 × 256 KiB at most; about 20 MiB of 40 KB pages).
PUBLICATION_CACHE_MAX_BYTES = env.int("PUBLICATION_CACHE_MAX_BYTES", default=256 * 1024)
# The WSGI front (records/caching.py PublicationFront) answers stored anonymous reads before Django.
PUBLICATION_FRONT = env.bool("PUBLICATION_FRONT", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}}  # and procrastinate quiet ("Registering task…")
    | {name: {"level": "WARNING"} for name in ("procrastinate.blueprints", "procrastinate.periodic")},
}

SITE_ID = 1
BAILANYS_PUBLIC_BASE_URL = env.str("BAILANYS_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# A reviewer's claim on a proposal lapses after this long; then another reviewer may take it over.
BAILANYS_CLAIM_TIMEOUT_MINUTES = env.int("BAILANYS_CLAIM_TIMEOUT_MINUTES", default=120)
