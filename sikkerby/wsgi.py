"""WSGI entry point (gunicorn sikkerby.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikkerby.settings.production")
application = get_wsgi_application()

# Refuse to serve with encryption keys that do not fit the stored data (the worker fails to boot and
# gunicorn stops), rather than fail on every page that shows a case.
from accounts.encryption import verify_encryption_keys_at_start  # noqa: E402

verify_encryption_keys_at_start()
