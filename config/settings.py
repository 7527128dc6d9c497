"""gonghui settings — one module, driven by the environment.

GONGHUI_ENV=demo (default) runs on the embedded SQLite database and generates its own
secret and field-encryption keys into var/ (git-ignored). GONGHUI_ENV=production refuses
to start without SECRET_KEY and FIELD_ENCRYPTION_KEYS and turns on every HTTPS setting.
"""

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GONGHUI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


GONGHUI_ENV = os.environ.get("GONGHUI_ENV", "demo")
if GONGHUI_ENV not in {"demo", "production"}:
    raise ImproperlyConfigured("GONGHUI_ENV 只能是 demo 或 production")
PRODUCTION = GONGHUI_ENV == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)


def _local_secret(name: str, make) -> str:
    """Demo only: a secret generated once into var/, so restarts keep sessions and data readable."""
    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _new_field_keys() -> str:
    return json.dumps(
        {
            "current": 1,
            "keys": {"1": secrets.token_urlsafe(32)},
            "index_key": secrets.token_urlsafe(32),
        }
    )


SECRET_KEY = os.environ.get("SECRET_KEY", "")
_field_keys_raw = os.environ.get("FIELD_ENCRYPTION_KEYS", "")
if PRODUCTION:
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("生产环境必须设置 SECRET_KEY（至少 50 个字符）")
    if not _field_keys_raw:
        raise ImproperlyConfigured("生产环境必须设置 FIELD_ENCRYPTION_KEYS（个人信息字段加密密钥）")
else:
    SECRET_KEY = SECRET_KEY or _local_secret("secret_key", lambda: secrets.token_urlsafe(64))
    _field_keys_raw = _field_keys_raw or _local_secret("field_keys.json", _new_field_keys)
try:
    FIELD_ENCRYPTION_KEYS = json.loads(_field_keys_raw)
    assert FIELD_ENCRYPTION_KEYS["keys"][str(FIELD_ENCRYPTION_KEYS["current"])]
    assert FIELD_ENCRYPTION_KEYS["index_key"]
except (ValueError, KeyError, TypeError, AssertionError) as exc:
    raise ImproperlyConfigured(
        'FIELD_ENCRYPTION_KEYS 格式应为 {"current": 1, "keys": {"1": "..."}, "index_key": "..."}'
    ) from exc
# auto: SM4-GCM (国密) where this OpenSSL build offers it, else AES-256-GCM; "sm4" or "aes" forces one.
GONGHUI_FIELD_CIPHER = os.environ.get("GONGHUI_FIELD_CIPHER", "auto")
if GONGHUI_FIELD_CIPHER not in {"auto", "sm4", "aes"}:
    raise ImproperlyConfigured("GONGHUI_FIELD_CIPHER 只能是 auto、sm4 或 aes")

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h] or (
    [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "gonghui.core",
    "gonghui.accounts",
    "gonghui.orgs",
    "gonghui.members",
    "gonghui.service_orders",
    "gonghui.stations",
    "gonghui.cases",
    "gonghui.campaigns",
    "gonghui.mutual_aid",
    "gonghui.aid",
    "gonghui.proposals",
    "gonghui.drivers",
    "gonghui.funds",
    "gonghui.registration",
    "gonghui.honours",
    "gonghui.library",
    "gonghui.outreach",
    "gonghui.stats",
    "gonghui.site",
    "gonghui.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gonghui.core.context.RequestContextMiddleware",
    "gonghui.core.dbrouter.ReplicaRoutingMiddleware",
    "gonghui.core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gonghui.accounts.middleware.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gonghui.core.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gonghui.core.context_processors.site",
                "gonghui.site.context_processors.navigation",
            ],
        },
    }
]

# --- database: embedded SQLite by default, PostgreSQL via DATABASE_URL -------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Behind PgBouncer in transaction mode (GONGHUI_PGBOUNCER=1) a connection holds no session state between
# transactions: no server-side cursors and no prepared statements (psycopg prepares a query after its fifth
# run; PgBouncer 1.18 would hand the next transaction a server without it).
PGBOUNCER = env_bool("GONGHUI_PGBOUNCER", False)


def database_from_url(url: str, *, conn_max_age: int) -> dict:
    """dj-database-url plus libpq's multi-host form (postgresql://u@h1:p1,h2:p2/db?target_session_attrs=…):
    libpq tries the hosts in order and keeps the first that meets target_session_attrs, so the app
    follows a promoted primary without a DNS or proxy change."""
    from urllib.parse import parse_qsl, urlsplit, urlunsplit

    parts = urlsplit(url)
    userinfo, _, hostlist = parts.netloc.rpartition("@")
    hosts = [h for h in hostlist.split(",") if h]
    first = urlunsplit(parts._replace(netloc=f"{userinfo}@{hosts[0]}" if userinfo else hosts[0], query=""))
    config = dj_database_url.parse(first, conn_max_age=conn_max_age, conn_health_checks=True)
    if len(hosts) > 1:
        config["HOST"] = ",".join(h.rpartition(":")[0] or h for h in hosts)
        config["PORT"] = ",".join(h.rpartition(":")[2] if ":" in h else "5432" for h in hosts)
    options = config.setdefault("OPTIONS", {})
    options.update(dict(parse_qsl(parts.query)))
    if PGBOUNCER and config["ENGINE"] == "django.db.backends.postgresql":
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
        options["prepare_threshold"] = None
    return config


if DATABASE_URL:
    # Tests set DB_CONN_MAX_AGE=0: persistent connections held by live-server threads would keep
    # the PostgreSQL test database busy when pytest-django drops it.
    DATABASES = {"default": database_from_url(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
            "GONGHUI_TEST_DB_NAME", "test_gonghui"
        )
    # A streaming replica for reads that tolerate a few seconds' lag (core/dbrouter.py); in tests it is
    # the same database (MIRROR), so the routing is exercised without a second server.
    if os.environ.get("DATABASE_REPLICA_URL"):
        DATABASES["replica"] = database_from_url(
            os.environ["DATABASE_REPLICA_URL"], conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
        )
        DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "gonghui.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
                # failing with "database is locked" half-way through a transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASE_ROUTERS = ["gonghui.core.dbrouter.PrimaryReplicaRouter"]
# After a write a client reads from the primary for this long (a cookie carries it to whichever app server
# answers next), so nobody misses their own change on a lagging replica.
GONGHUI_REPLICA_PIN_SECONDS = env_int("GONGHUI_REPLICA_PIN_SECONDS", 10)
# The pages and exports that may read from the replica (GET only): dashboards, reports, exports and
# registry lists, where a few seconds' lag is harmless. Nothing that decides anything is listed.
GONGHUI_LAG_TOLERANT_VIEWS = frozenset(
    {
        "campaigns_bench:export",
        "cases_bench:stats",
        "cases_bench:stats_json",
        "members_bench:list",
        "members_bench:export",
        "service_orders_bench:stats",
        "stations_bench:export",
        "aid_bench:reports",
        "funds_bench:report",
        "mutual_aid_bench:report",
        "proposals_bench:report",
        "proposals_bench:ledger_export",
        "registration_bench:register_export",
        "drivers_bench:overview",
    }
)

# --- cache: local memory by default, Redis via REDIS_URL ---------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# REDIS_SENTINELS=host:port,host:port,… makes REDIS_URL's host the Sentinel service name
# (redis://gonghui/0): django-redis asks the Sentinels for the current master on every new connection.
REDIS_SENTINELS = [
    (h.rpartition(":")[0], int(h.rpartition(":")[2]))
    for h in os.environ.get("REDIS_SENTINELS", "").split(",")
    if h.strip()
]
if REDIS_URL:
    _redis_options = {
        "CLIENT_CLASS": "django_redis.client.DefaultClient",
        # A dead master must not hold a request for long: the cache answers "miss" and the database
        # decides (IGNORE_EXCEPTIONS); the grab gate degrades the same way (campaigns/gate.py).
        "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("GONGHUI_REDIS_CONNECT_TIMEOUT", "0.5")),
        "SOCKET_TIMEOUT": float(os.environ.get("GONGHUI_REDIS_TIMEOUT", "1")),
        "IGNORE_EXCEPTIONS": env_bool("GONGHUI_REDIS_IGNORE_EXCEPTIONS", bool(REDIS_SENTINELS)),
    }
    if REDIS_SENTINELS:
        _redis_options["CLIENT_CLASS"] = "django_redis.client.SentinelClient"
        _redis_options["SENTINELS"] = REDIS_SENTINELS
        _redis_options["SENTINEL_KWARGS"] = {"socket_timeout": 0.5}
        DJANGO_REDIS_CONNECTION_FACTORY = "django_redis.pool.SentinelConnectionFactory"
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "gonghui",
            "OPTIONS": _redis_options,
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gonghui"}}
# Sessions: the database by default; "cache" keeps them in Redis (every app server shares them, none is
# sticky), "cached_db" in both.
SESSION_ENGINE = {
    "db": "django.contrib.sessions.backends.db",
    "cache": "django.contrib.sessions.backends.cache",
    "cached_db": "django.contrib.sessions.backends.cached_db",
}[os.environ.get("GONGHUI_SESSION_ENGINE", "db")]

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if env_bool("GONGHUI_DB_TASKS", PRODUCTION):
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- accounts and authentication ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "gonghui.accounts.backends.PhonePasswordBackend",
    "gonghui.accounts.backends.PhoneCodeBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"

# 等保三级: complexity and expiry are switched on together for production.
GONGHUI_STRICT_PASSWORDS = env_bool("GONGHUI_STRICT_PASSWORDS", PRODUCTION)
GONGHUI_PASSWORD_MAX_AGE_DAYS = env_int(
    "GONGHUI_PASSWORD_MAX_AGE_DAYS", 90 if GONGHUI_STRICT_PASSWORDS else 0
)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "gonghui.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10 if GONGHUI_STRICT_PASSWORDS else 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if GONGHUI_STRICT_PASSWORDS:
    AUTH_PASSWORD_VALIDATORS.append({"NAME": "gonghui.accounts.passwords.ComplexityValidator"})

# Staff sign in with password + TOTP; the demo may switch TOTP off.
GONGHUI_STAFF_TOTP_REQUIRED = env_bool("GONGHUI_STAFF_TOTP_REQUIRED", PRODUCTION)
# In demo mode the sign-in page shows the one-time code instead of sending an SMS.
GONGHUI_SHOW_LOGIN_CODE = env_bool("GONGHUI_SHOW_LOGIN_CODE", not PRODUCTION)
GONGHUI_LOGIN_CODE_TTL_SECONDS = 300
GONGHUI_API_TOKEN_TTL_HOURS = env_int("GONGHUI_API_TOKEN_TTL_HOURS", 12)
# Login codes go out by SMS. The log backend writes them into the application log, so production refuses
# to start until a real gateway class is configured — or "log" is chosen explicitly (an intranet pilot
# whose operators read codes out to users; docs/security.md).
_sms_backend = os.environ.get("GONGHUI_SMS_BACKEND", "")
if PRODUCTION and not _sms_backend:
    raise ImproperlyConfigured(
        "生产环境必须设置 GONGHUI_SMS_BACKEND（短信网关类）；内网试点如确需把验证码写入日志，请显式设置为 log"
    )
GONGHUI_SMS_BACKEND = "gonghui.core.sms.LogSmsBackend" if _sms_backend in ("", "log") else _sms_backend
# 实名认证 online: a verifier class (accounts/realname.py); empty = only union staff certify (production
# default until a real verification service is configured).
GONGHUI_REALNAME_BACKEND = os.environ.get(
    "GONGHUI_REALNAME_BACKEND", "" if PRODUCTION else "gonghui.accounts.realname.LogRealNameVerifier"
)
# accounts asks orgs "is this user union staff?" through this path, so accounts imports nothing above it.
GONGHUI_STAFF_CHECK = "gonghui.orgs.scope.is_staff_member"

# Idle timeout: the session expires after 30 idle minutes; every request renews it.
SESSION_COOKIE_AGE = env_int("GONGHUI_IDLE_TIMEOUT_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AXES_FAILURE_LIMIT = env_int("GONGHUI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# Lock per phone number, not per IP: riders and drivers share carrier-grade NAT addresses, and an
# IP lockout would shut out every worker behind the same mobile gateway.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_CALLABLE = "gonghui.accounts.backends.axes_username"
AXES_LOCKOUT_CALLABLE = "gonghui.accounts.views.worker.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# axes keeps no request bodies or query strings (they carry phone numbers and codes): see AxesHandler.
AXES_HANDLER = "gonghui.accounts.backends.AxesHandler"
AXES_SENSITIVE_PARAMETERS = ["password", "code", "otp", "phone", "username", "current", "password2"]

# How many reverse proxies append to X-Forwarded-For in front of the app (docs/deploy.md); the audit
# log takes the client IP from that hop and ignores the header when there is no proxy.
GONGHUI_PROXY_COUNT = env_int("GONGHUI_PROXY_COUNT", 1 if PRODUCTION else 0)

# The demo's debug error page hides connection strings (DATABASE_URL, REDIS_URL) as well as secrets.
DEFAULT_EXCEPTION_REPORTER_FILTER = "gonghui.core.errors.SafeExceptionReporterFilter"

# --- security headers --------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Map tiles: 高德 by default; an intranet tile server (GCJ-02 tiles, Leaflet's {z}/{x}/{y} template)
# via GONGHUI_TILE_URL, with its own attribution and {s} subdomains ("" when the URL has no {s}).
TILE_URL = os.environ.get(
    "GONGHUI_TILE_URL",
    "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
)
TILE_ATTRIBUTION = os.environ.get("GONGHUI_TILE_ATTRIBUTION", "地图数据 © 高德")
TILE_SUBDOMAINS = os.environ.get("GONGHUI_TILE_SUBDOMAINS", "1234")


def tile_img_sources(url: str) -> list[str]:
    """CSP img-src for the tile server: https: is allowed already; a plain-http intranet server
    (http://tiles.union.local:8080/…) is allowed by its own origin only."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.netloc:
        return []
    host = parts.netloc.replace("{s}", "*", 1) if parts.netloc.startswith("{s}") else parts.netloc
    return [f"http://{host.replace('{s}', '*')}"]


# Stations: walking speed and street detour for "walking minutes" and the 15-minute circle.
STATIONS_WALK_SPEED_MPS = float(os.environ.get("GONGHUI_WALK_SPEED_MPS", "1.2"))
STATIONS_WALK_DETOUR = float(os.environ.get("GONGHUI_WALK_DETOUR", "1.3"))
STATIONS_CIRCLE_MINUTES = 15
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", "https:", *tile_img_sources(TILE_URL)],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Oversized requests are refused early (DATA_UPLOAD_MAX_MEMORY_SIZE → 400 with a Chinese message).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- language, time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploads and generated files: one storage every app server shares — a shared directory
# (GONGHUI_MEDIA_ROOT) or any Django storage class, e.g. an S3-compatible one from django-storages:
# GONGHUI_STORAGE_BACKEND=storages.backends.s3.S3Storage GONGHUI_STORAGE_OPTIONS='{"bucket_name": …}'.
MEDIA_ROOT = Path(os.environ.get("GONGHUI_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("GONGHUI_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(os.environ.get("GONGHUI_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

GONGHUI_SITE_NAME = "工会服务"
GONGHUI_WORKBENCH_NAME = "工会工作台"

# 订单式服务: minutes an expert needs between sessions at different sites, the slot grid, and how far
# ahead the scheduler looks for a free slot.
SERVICE_ORDERS_TRAVEL_BUFFER_MINUTES = env_int("GONGHUI_SERVICE_TRAVEL_BUFFER_MINUTES", 60)
SERVICE_ORDERS_SLOT_MINUTES = 30
SERVICE_ORDERS_HORIZON_DAYS = 270
# --- 会籍 (members) ----------------------------------------------------------------------------
# 会籍管理办法: a member without dues or union activity for this many months is deemed to have withdrawn
# (视为自动退会) — staff confirm each from the candidates list. 0 turns the list off.
GONGHUI_LAPSE_MONTHS = env_int("GONGHUI_LAPSE_MONTHS", 6)
# --- 诉求工单 (cases) ---------------------------------------------------------------------------
# Time limits in working days (12351 practice: accept within 1; handle by difficulty).
GONGHUI_CASES_ACCEPT_WORKDAYS = env_int("GONGHUI_CASES_ACCEPT_WORKDAYS", 1)
GONGHUI_CASES_HANDLE_WORKDAYS = {"normal": 15, "hard": 30, "complex": 60}
# A collective or large claim is handled by the county union with the city supervising (督办).
GONGHUI_CASES_COLLECTIVE_MIN_CLAIMANTS = env_int("GONGHUI_CASES_COLLECTIVE_MIN_CLAIMANTS", 10)
GONGHUI_CASES_LARGE_AMOUNT = os.environ.get("GONGHUI_CASES_LARGE_AMOUNT", "500000.00")
# The worker may reopen a case within this many days of its resolution if unsatisfied.
GONGHUI_CASES_REOPEN_DAYS = env_int("GONGHUI_CASES_REOPEN_DAYS", 15)
GONGHUI_CASES_ATTACHMENT_MAX_BYTES = env_int("GONGHUI_CASES_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
GONGHUI_CASES_ATTACHMENTS_PER_UPLOAD = 9
# 医疗互助: photos of the bills per claim (each within GONGHUI_CASES_ATTACHMENT_MAX_BYTES).
GONGHUI_MUTUAL_AID_PHOTOS_PER_CLAIM = 9
# Online filings per worker per 24 hours (phone and walk-in entries by staff are not limited).
GONGHUI_CASES_MAX_PER_DAY = env_int("GONGHUI_CASES_MAX_PER_DAY", 10)
# --- 公示 (core.notices) -------------------------------------------------------------------------
# Default notice period in working days (DOMAIN.md: commonly 5; some programmes use 7).
GONGHUI_NOTICE_WORKDAYS = env_int("GONGHUI_NOTICE_WORKDAYS", 5)

# 工会法人登记: production maps an authority's credit code (or org id) to {"key","cert","chain"} PEM paths.
REGISTRATION_SIGNING_KEYS: dict = {}
REGISTRATION_VERIFY_BASE = os.environ.get("REGISTRATION_VERIFY_BASE", "http://127.0.0.1:8000")

# 走访与协商: by this day (MM-DD) each consultation forum should have its yearly minimum of 协商协调会
# scheduled; from then on `manage.py outreach_remind` reminds the industry union once a year.
GONGHUI_OUTREACH_REMIND_BY = os.environ.get("GONGHUI_OUTREACH_REMIND_BY", "09-30")
