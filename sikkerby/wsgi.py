"""WSGI entry point (gunicorn sikkerby.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikkerby.settings.production")
application = get_wsgi_application()
