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
    # Django and third party
    "django.contrib.admin",
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
]

AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sikkerby.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without activity, and with the browser.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"

# --- forms, tables --------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

# --- REST API -------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    # Every endpoint documents its error answers (400/401/403/404/429) the same way.
    "DEFAULT_SCHEMA_CLASS": "indicators.api.common.ApiAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "30/minute", "user": "600/minute"},
}
REST_KNOX = {"TOKEN_TTL": __import__("datetime").timedelta(days=90), "AUTO_REFRESH": False}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sikker By API",
    "DESCRIPTION": "Programme, indicator and key-figure data of a municipality's Sikker By programme.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a field called "status" with different choices: name each enum explicitly.
    "ENUM_NAME_OVERRIDES": {
        "KeyFigureReportStatusEnum": "crimestats.models.ReportStatus",
    },
}

# --- Celery ---------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_BEAT_SCHEDULE["evaluation-reminders"] = {  # evaluations: deadline reminders, daily at 07:00
    "task": "evaluations.send_evaluation_reminders", "schedule": __import__("celery.schedules").schedules.crontab(
        hour=7, minute=0)}
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
EXIT_ANONYMISE_AFTER_DAYS = env.int("EXIT_ANONYMISE_AFTER_DAYS", default=90)

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
    },
}
