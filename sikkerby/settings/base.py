"""Settings shared by every environment.

Everything that differs between machines is read from the environment
(``environs``); this module holds no secret and no machine path. ``local``,
``production`` and ``test`` import from here and set what is theirs.
"""
from pathlib import Path

import plotly
from django.utils.translation import gettext_lazy as _
from environs import Env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Ours first: for a msgid both we and Django's contrib apps translate (e.g. "Administration", which is
    # "Forvaltning" here), the first app in this list wins.
    "accounts",
    "areas",
    "initiatives",
    "indicators",
    "exitprogram",
    "tryghedsindeks",
    "crimestats",
    "evaluations",
    "sspcases",
    "partners",
    "operations",
    "safetywalks",
    "sikkerby.apps.SikkerByConfig",  # the tenancy check (sikkerby.tenancy)
    # Django and third party
    "sikkerby.apps.SuperuserAdminConfig",  # django.contrib.admin, for superusers only (sikkerby.admin_site)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tables2",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "axes",
    "csp",
    "djangosaml2",
]

AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # SAML's own short session (its cookie survives the identity provider's cross-site POST back).
    "djangosaml2.middleware.SamlSessionMiddleware",
    # Refreshes the session's expiry before the view, at most once a SESSION_REFRESH_INTERVAL.
    "sikkerby.middleware.SessionRefreshMiddleware",
    "sikkerby.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Pages and API endpoints of a module the user's municipality does not run answer 404 with the reason.
    "initiatives.modules.ModuleInUseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Axes last: it must see the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sikkerby.urls"
WSGI_APPLICATION = "sikkerby.wsgi.application"

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
                "accounts.context_processors.roles",
            ],
        },
    }
]

DATABASES = {"default": env.dj_db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- authentication -------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Local passwords: never for users of an identity provider (accounts.backends).
    "accounts.backends.LocalPasswordBackend",
    # Single sign-on through each municipality's OpenID Connect / SAML provider, configured as data (docs/sso.md).
    "accounts.sso.oidc.ProviderBackend",
    "accounts.sso.saml.ProviderSaml2Backend",
]
# Password login for local accounts (the embedded default, the demo). Off where a municipality forbids local
# accounts: then only superusers may use a password, to configure the identity providers.
PASSWORD_LOGIN_ENABLED = env.bool("PASSWORD_LOGIN_ENABLED", default=True)
# SAML (djangosaml2): the configuration is built per provider row (accounts.sso.saml.sp_config). Requests go
# by redirect (no page with a script to post them); with a key pair Sikker By signs them and can receive
# encrypted assertions (docs/sso.md).
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SAML_SP_KEY_FILE = env.str("SAML_SP_KEY_FILE", default="")
SAML_SP_CERT_FILE = env.str("SAML_SP_CERT_FILE", default="")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without activity, and with the browser. The expiry is pushed forward
# by SessionRefreshMiddleware before the view runs, at most once a minute; the response phase writes
# the session only when the view changed it, so a committed write is never followed by a session
# write that could fail (and turn the answer into an error).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_REFRESH_INTERVAL = env.int("SESSION_REFRESH_INTERVAL", default=60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout: 5 failed logins for the same username from the same address lock
# that pair for an hour (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# --- internationalisation -------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# --- static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# plotly.js is served from the plotly package itself: one version for the
# Python figures and the browser, no CDN, nothing vendored twice.
STATICFILES_DIRS = [BASE_DIR / "static", ("plotly", Path(plotly.__file__).parent / "package_data")]
# Files one process writes and another reads (an uploaded police extract the worker imports) go through
# Django's storage API. Web and worker hosts share nothing but PostgreSQL and the broker, so the default
# keeps files in the database; FILE_STORAGE=s3 puts them in S3-compatible object storage (django-storages,
# `pip install -e ".[s3]"`) for larger installations. Nothing is ever passed through a local disk.
FILE_STORAGE = env.str("FILE_STORAGE", default="database")
_STORAGE_BACKENDS = {
    "database": {"BACKEND": "operations.storage.DatabaseStorage"},
    "s3": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": env.str("S3_BUCKET", default=""),
        "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
        "access_key": env.str("S3_ACCESS_KEY_ID", default=None),
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default=None),
        "region_name": env.str("S3_REGION", default=None),
        "default_acl": "private", "querystring_auth": True, "file_overwrite": False,
    }},
}
STORAGES = {
    "default": _STORAGE_BACKENDS[FILE_STORAGE],
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"
# Uploads above this size are streamed to a temporary file while the request lasts, not held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A request body that is not a file (form fields) larger than this is refused (Django's 400).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# The largest file accepted per kind of upload, in bytes, checked before anything is read or stored
# (operations.uploads). A police extract of about a million rows is some 100 MB.
UPLOAD_MAX_BYTES = {
    "police_csv": env.int("UPLOAD_MAX_BYTES_POLICE_CSV", default=150 * 1024 * 1024),
    "indicator_values": env.int("UPLOAD_MAX_BYTES_INDICATOR_VALUES", default=5 * 1024 * 1024),
    "safety_inputs": env.int("UPLOAD_MAX_BYTES_SAFETY_INPUTS", default=10 * 1024 * 1024),
    "safety_walk_photo": env.int("UPLOAD_MAX_BYTES_SAFETY_WALK_PHOTO", default=8 * 1024 * 1024),
}
# A workbook (xlsx = a zip) whose parts unpack to more than this is refused before it is parsed (zip bomb).
XLSX_MAX_UNCOMPRESSED_BYTES = env.int("XLSX_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024)
# The longest cell accepted in an indicator or safety-index upload (no column needs more).
UPLOAD_MAX_FIELD_CHARS = 2000

# --- forms, tables --------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

# --- REST API -------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "indicators.tokens.ApiTokenAuthentication",  # knox, without its per-request sweep
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "sikkerby.api_filtering.FilterBackend",  # django-filter, skipped when no filter is asked
        "rest_framework.filters.OrderingFilter",
    ],
    # limit/offset with a maximum page size; nonsense is a 400 with the reason (see the class).
    "DEFAULT_PAGINATION_CLASS": "sikkerby.api_pagination.Pagination",
    # Every endpoint documents its error answers (400/401/403/404/429) the same way.
    "DEFAULT_SCHEMA_CLASS": "indicators.api.common.ApiAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # From the environment so a load test (benchmarks/bench_api.py) can lift them; these defaults otherwise.
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_THROTTLE_ANON", default="30/minute"),
                               "user": env.str("API_THROTTLE_USER", default="600/minute")},
}
REST_KNOX = {"TOKEN_TTL": __import__("datetime").timedelta(days=90), "AUTO_REFRESH": False}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sikker By API",
    "DESCRIPTION": "Programme, indicator and key-figure data of a municipality's Sikker By programme.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Without deep links an operation's path is text, not a link inside the operation's button (axe:
    # nested-interactive); without syntax highlighting the examples keep a readable contrast.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "syntaxHighlight": False},
    "REDOC_DIST": "SIDECAR",
    # Several models have a field called "status" with different choices: name each enum explicitly.
    "ENUM_NAME_OVERRIDES": {
        "KeyFigureReportStatusEnum": "crimestats.models.ReportStatus",
    },
}

# --- Celery ---------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Background jobs (operations.jobs): a running job writes a heartbeat every JOB_HEARTBEAT_SECONDS; one
# without a heartbeat for JOB_STALL_SECONDS (its worker died) or waiting longer than JOB_PENDING_SECONDS
# (its message was lost) is sent again, at most JOB_MAX_ATTEMPTS times in all, then failed with a reason.
# A job is stopped after JOB_TIME_LIMIT seconds (soft limit: failed with a reason; hard limit a minute later).
JOB_HEARTBEAT_SECONDS = env.float("JOB_HEARTBEAT_SECONDS", default=15)
JOB_STALL_SECONDS = env.float("JOB_STALL_SECONDS", default=120)
JOB_PENDING_SECONDS = env.float("JOB_PENDING_SECONDS", default=600)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)
JOB_TIME_LIMIT = env.int("JOB_TIME_LIMIT", default=30 * 60)
JOB_REAP_SECONDS = env.float("JOB_REAP_SECONDS", default=60)
# Sending a message gives up after about two seconds, so a request never hangs on a broker that is down.
JOB_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The visibility timeout is longer than any job may run (JOB_TIME_LIMIT), so Redis never hands a message
# still being worked on to a second worker; a message whose worker died comes back after it, and the
# reaper has usually sent the job again long before.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=JOB_TIME_LIMIT + 30 * 60),
    "socket_connect_timeout": 2,
}
CELERY_TASK_SOFT_TIME_LIMIT = JOB_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = JOB_TIME_LIMIT + 60
# A worker child is replaced after this many tasks or this much memory (KiB), so a leak cannot grow.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=50)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=600_000)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Reports go to a queue of their own, consumed by a worker of their own (docker-compose.yml: worker-reports,
# concurrency 1): ten municipalities' quarterly reports requested at once by the beat task then wait their
# turn there instead of filling every worker child and holding up imports, index computations and the
# heartbeat. Every worker command must name the queues it consumes (`-Q celery,reports` for one that does both).
CELERY_TASK_DEFAULT_QUEUE = "celery"
REPORTS_QUEUE = "reports"
# The PDF documents (WeasyPrint: seconds of CPU and ~200 MB each) run on the reports queue.
CELERY_TASK_ROUTES = {"crimestats.tasks.key_figure_report_generate": {"queue": REPORTS_QUEUE},
                      "partners.tasks.partner_pack_pdf_generate": {"queue": REPORTS_QUEUE}}
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_BEAT_SCHEDULE["evaluation-reminders"] = {  # evaluations: deadline reminders, daily at 07:00
    "task": "evaluations.send_evaluation_reminders", "schedule": __import__("celery.schedules").schedules.crontab(
        hour=7, minute=0)}
CELERY_BEAT_SCHEDULE["indicator-reporting-reminders"] = {  # indicators: overdue values, reminded then escalated
    "task": "indicators.send_reporting_reminders", "schedule": __import__("celery.schedules").schedules.crontab(
        hour=7, minute=15)}
CELERY_BEAT_SCHEDULE["partners-progress-reminders"] = {  # partners: missing monthly entries, daily at 07:05
    "task": "partners.send_progress_reminders", "schedule": __import__("celery.schedules").schedules.crontab(
        hour=7, minute=5)}
CELERY_BEAT_SCHEDULE["safety-walk-action-reminders"] = {  # safety walks: actions due in a week / overdue, 07:10
    "task": "safetywalks.send_action_reminders", "schedule": __import__("celery.schedules").schedules.crontab(
        hour=7, minute=10)}
# Days of the month on which reporters are reminded of the month's missing progress entries (partners).
PARTNERS_REMINDER_DAYS = tuple(env.list("PARTNERS_REMINDER_DAYS", subcast=int, default=[20, 27]))
CELERY_BEAT_SCHEDULE["crimestats-quarterly-key-figures"] = {
    # The day after each quarter ends (configurable), produce last quarter's ØU key-figure report.
    "task": "crimestats.tasks.quarterly_key_figure_reports",
    "schedule": __import__("celery.schedules", fromlist=["crontab"]).crontab(
        minute=env.str("KEY_FIGURES_CRON_MINUTE", default="0"), hour=env.str("KEY_FIGURES_CRON_HOUR", default="6"),
        day_of_month=env.str("KEY_FIGURES_CRON_DAY", default="1"),
        month_of_year=env.str("KEY_FIGURES_CRON_MONTHS", default="1,4,7,10")),
}
# Red cells of the two 1×1 km grid maps (annex 7: "Røde tal = over 50 pr grid" for selected reports,
# "over 500 pr grid" for cases and incidents without traffic).
KEY_FIGURES_GRID_THRESHOLD = env.int("KEY_FIGURES_GRID_THRESHOLD", default=50)
KEY_FIGURES_EVENTS_GRID_THRESHOLD = env.int("KEY_FIGURES_EVENTS_GRID_THRESHOLD", default=500)
# exitprogram: due 2-year follow-ups and the retention rule, daily (seconds).
CELERY_BEAT_SCHEDULE["exit-followup-reminders"] = {
    "task": "exitprogram.tasks.followup_reminders_send", "schedule": 24 * 60 * 60}
CELERY_BEAT_SCHEDULE["exit-retention-anonymise"] = {
    "task": "exitprogram.tasks.cases_anonymise_due", "schedule": 24 * 60 * 60}
# sspcases: closed SSP concerns are anonymised this long after closure, daily (docs/ssp-single-cases.md).
CELERY_BEAT_SCHEDULE["ssp-retention-anonymise"] = {
    "task": "sspcases.tasks.concerns_anonymise_due", "schedule": 24 * 60 * 60}
SSP_CONCERN_ANONYMISE_AFTER_DAYS = env.int("SSP_CONCERN_ANONYMISE_AFTER_DAYS", default=365)
EXIT_ANONYMISE_AFTER_DAYS = env.int("EXIT_ANONYMISE_AFTER_DAYS", default=90)
# A closed case whose 2-year follow-up fell due and was never recorded is anonymised this long after it fell due.
EXIT_ANONYMISE_UNRECORDED_FOLLOWUP_AFTER_DAYS = env.int("EXIT_ANONYMISE_UNRECORDED_FOLLOWUP_AFTER_DAYS", default=180)
# The exit access log of a case is kept this long after the case is anonymised (rows about no case: after
# they were written), then deleted by the owner's `manage.py access_log_purge` (docs/exit-programme.md).
EXIT_ACCESS_LOG_KEEP_DAYS = env.int("EXIT_ACCESS_LOG_KEEP_DAYS", default=5 * 365)
# operations: stalled jobs are reaped, and the worker's sign of life written, on a short schedule.
CELERY_BEAT_SCHEDULE["operations-reap-stalled-jobs"] = {
    "task": "operations.tasks.reap_stalled_jobs", "schedule": JOB_REAP_SECONDS}
CELERY_BEAT_SCHEDULE["operations-api-tokens-purge"] = {  # expired API tokens, daily
    "task": "operations.tasks.api_tokens_purge_expired", "schedule": 24 * 60 * 60}
CELERY_BEAT_SCHEDULE["operations-worker-heartbeat"] = {
    "task": "operations.tasks.worker_heartbeat", "schedule": env.float("WORKER_HEARTBEAT_SECONDS", default=30)}
# /health/ reports the worker unhealthy when none was seen for this long.
HEALTH_WORKER_MAX_AGE = env.float("HEALTH_WORKER_MAX_AGE", default=180)

# --- cache ----------------------------------------------------------------
# Shared state (API throttle counts, locks) must be shared by every web and worker process: with
# CACHE_URL set (Redis in production) Django's cache is Redis; without it, each process has its own
# memory, which is right only for the single-process embedded default.
CACHE_URL = env.str("CACHE_URL", default="")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
                      "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}
          if CACHE_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- encryption of personal data -----------------------------------------
# Fernet keys for the encrypted fields (sikkerby.encryption), newest first: the
# newest encrypts, every one decrypts. From the environment, never the database,
# and independent of SECRET_KEY. Rotation: docs/exit-programme.md, "Keys and rotation".
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
# Legacy, decrypt-only: data written before FIELD_ENCRYPTION_KEYS was encrypted
# under keys django-fernet-encrypted-fields derived from SECRET_KEY and this salt
# (its setting SALT_KEY). Keep it set until `manage.py reencrypt_fields` has run.
SALT_KEY = env.list("FIELD_ENCRYPTION_SALT", default=[])
# Keyed hash for searching encrypted CPR numbers without decrypting them.
CPR_HASH_KEY = env.str("CPR_HASH_KEY", default="")

# --- content security policy (django-csp 4) ------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # plotly.js sets inline styles on the elements it draws.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"

# --- privacy --------------------------------------------------------------
# Aggregates over people never show a cell smaller than this.
SMALL_COUNT_THRESHOLD = env.int("SMALL_COUNT_THRESHOLD", default=5)
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="sikkerby@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Request logs carry URLs; URLs never carry personal data (see "Privacy" in docs/exit-programme.md).
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # a PDF would otherwise log ~30 INFO lines (WeasyPrint's steps, its font subsetting); warnings still show
        "fontTools": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        # pysaml2 logs the subject's NameID and attributes at INFO; djangosaml2 whole assertions at DEBUG.
        "saml2": {"level": "WARNING"},
        "djangosaml2": {"level": "WARNING"},
    },
}
