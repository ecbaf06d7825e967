"""The embedded default: SQLite, tasks in-process, demo users allowed.

``make run`` writes a ``.env`` with freshly generated keys on first start
(git-ignored); only these local settings read it, so no key lives in the
repository and production takes its keys from its own environment.
"""
from .base import *  # noqa: F403
from .base import BASE_DIR, env

env.read_env(BASE_DIR / ".env", recurse=False, override=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY")
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
# Read again after .env: a .env from before FIELD_ENCRYPTION_KEYS keeps its salt until reencrypt_fields has run.
SALT_KEY = env.list("FIELD_ENCRYPTION_SALT", default=[])
CPR_HASH_KEY = env.str("CPR_HASH_KEY")
DEMO_DATA_ALLOWED = True
