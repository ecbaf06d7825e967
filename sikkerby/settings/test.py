"""Test settings: the database is whatever DATABASE_URL names (PostgreSQL in
CI, SQLite by default); keys below are fixed, public and only for tests."""
from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-a-secret"
# Fernet keys that say what they are ("test-only-field-key-not-secret-1", base64); no legacy salt.
FIELD_ENCRYPTION_KEYS = ["dGVzdC1vbmx5LWZpZWxkLWtleS1ub3Qtc2VjcmV0LTE="]
SALT_KEY: list[str] = []
CPR_HASH_KEY = "test-only-cpr-hash-key"
DEMO_DATA_ALLOWED = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "operations.storage.DatabaseStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process unless a test starts a real worker itself.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000/minute", "user": "100000/minute"}}  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # no collectstatic in tests
