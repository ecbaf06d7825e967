FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 chromium xmlsec1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir -e .
COPY . .
# Static files are part of the image (hashed names, compressed), collected once here rather than by every
# web container at start-up; the keys below exist only for this build step and are not kept in the image.
RUN DJANGO_SETTINGS_MODULE=sikkerby.settings.production SECRET_KEY=collectstatic-only \
    FIELD_ENCRYPTION_KEYS=collectstatic-only CPR_HASH_KEY=collectstatic-only \
    python manage.py collectstatic --noinput
RUN useradd --system sikkerby && chown -R sikkerby /app
USER sikkerby
