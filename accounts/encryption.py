"""Keys that fit the data: the encryption canary, its system check, the start-up guard, re-encryption.

The field classes and the key list live in ``sikkerby.encryption``; this module works on the stored
data: it finds every encrypted field by walking the app registry (so a new model cannot be
forgotten), re-encrypts them under the newest key, and keeps the canary that tells whether the keys in
the environment fit what is stored. See "Keys and rotation" in docs/exit-programme.md.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from django.apps import apps as global_apps
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.db.models import TextField, Value
from django.db.models.functions import Cast
from encrypted_fields.fields import EncryptedFieldMixin as LibraryEncryptedField

from sikkerby.encryption import EncryptionKeyError, RotatingKeysMixin, multi_fernet, newest_fernet

logger = logging.getLogger(__name__)

CANARY_TEXT = "Sikker By encryption canary: if you can read this, the keys fit."
CANARY_MODEL = "accounts.EncryptionCanary"


def encrypted_fields(apps=global_apps) -> list[tuple[type, list]]:
    """Every concrete model with encrypted fields, and those fields (``apps`` may be a migration state)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, LibraryEncryptedField)]
        if fields:
            found.append((model, fields))
    return found


def _raw(field) -> Cast:
    # The stored token as plain text: a Cast's output field has no from_db_value, so nothing decrypts.
    return Cast(field.attname, output_field=TextField())


def _table_exists(model, using: str) -> bool:
    with connections[using].cursor() as cursor:
        return model._meta.db_table in connections[using].introspection.table_names(cursor)


def _undecryptable_samples(*, using: str, apps=global_apps) -> list[str]:
    """Fields whose oldest or newest stored value none of the configured keys decrypts.

    Used only while there is no canary yet (an existing database getting one), so the canary is not
    written under keys that do not fit the data already there.
    """
    multi = multi_fernet()
    with connections[using].cursor() as cursor:
        tables = set(connections[using].introspection.table_names(cursor))
    failing = []
    for model, fields in encrypted_fields(apps):
        if model._meta.db_table not in tables:
            continue
        manager = model._base_manager.using(using)
        for field in fields:
            qs = manager.annotate(_raw=_raw(field)).filter(_raw__isnull=False).exclude(_raw="")
            for order in ("pk", "-pk"):
                token = qs.order_by(order).values_list("_raw", flat=True).first()
                if token is None:
                    break
                try:
                    multi.decrypt(token.encode())
                except InvalidToken:
                    failing.append(f"{model._meta.label}.{field.name}")
                    break
    return failing


def _canary_token(using: str, apps=global_apps) -> tuple[bool, str | None]:
    """(table exists, raw token of the first canary row or None)."""
    try:
        model = apps.get_model(CANARY_MODEL)
    except LookupError:  # a migration state before the canary existed
        return False, None
    if not _table_exists(model, using):
        return False, None
    field = model._meta.get_field("value")
    token = (model._base_manager.using(using).order_by("pk").annotate(_raw=_raw(field))
             .values_list("_raw", flat=True).first())
    return True, token


def canary_ensure(*, using: str = DEFAULT_DB_ALIAS, apps=global_apps) -> bool:
    """Write the canary under the newest key if there is none yet; True if one was written.

    Skips silently when its table does not exist (a fresh database before migrate). Refuses (raises
    ImproperlyConfigured) if data already stored does not decrypt with the configured keys: a canary
    written then would vouch for the wrong keys.
    """
    exists, token = _canary_token(using, apps)
    if not exists or token is not None:
        return False
    failing = _undecryptable_samples(using=using, apps=apps)
    if failing:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS do not decrypt data already stored (" + ", ".join(failing) + "); "
            "no encryption canary was written. Configure the keys that data was written with.")
    apps.get_model(CANARY_MODEL)._base_manager.using(using).create(value=CANARY_TEXT)
    return True


def key_problems(using: str = DEFAULT_DB_ALIAS) -> list[checks.CheckMessage]:
    """What is wrong with the configured keys against one database's stored data."""
    try:
        multi = multi_fernet()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="accounts.E100")]
    exists, token = _canary_token(using)
    if not exists:
        return []
    hint = ("Configure the FIELD_ENCRYPTION_KEYS the data was written with (newest first); see 'Keys and "
            "rotation' in docs/exit-programme.md.")
    if token is None:
        failing = _undecryptable_samples(using=using)
        if failing:
            return [checks.Error("FIELD_ENCRYPTION_KEYS do not decrypt data already stored: " + ", ".join(failing),
                                 hint=hint, id="accounts.E101")]
        return []
    try:
        plain = multi.decrypt(token.encode()).decode()
    except (InvalidToken, UnicodeError):
        plain = None
    if plain != CANARY_TEXT:
        return [checks.Error(f"FIELD_ENCRYPTION_KEYS cannot decrypt the encryption canary in database '{using}': "
                             "the keys do not fit the data already stored.", hint=hint, id="accounts.E101")]
    try:
        newest_fernet().decrypt(token.encode())
    except InvalidToken:
        return [checks.Warning(
            "The encryption canary is not under the newest key in FIELD_ENCRYPTION_KEYS: data is not "
            "re-encrypted yet.", hint="Run 'manage.py reencrypt_fields' before removing an older key.",
            id="accounts.W101")]
    return []


def check_encryption_keys(app_configs=None, databases=None, **kwargs):
    """System check (tag ``database``): the configured keys decrypt the canary of each database checked."""
    messages = []
    for alias in databases or []:
        messages.extend(key_problems(alias))
    return messages


def check_encrypted_field_classes(app_configs=None, **kwargs):
    """System check: every encrypted field uses the rotating-key classes, not the library's own.

    The library's classes derive their keys from SECRET_KEY; ``reencrypt_fields`` would move such a
    field's data onto keys that field cannot read.
    """
    errors = []
    for model, fields in encrypted_fields():
        for field in fields:
            if not isinstance(field, RotatingKeysMixin):
                errors.append(checks.Error(
                    f"{model._meta.label}.{field.name} uses {type(field).__module__}.{type(field).__name__}.",
                    hint="Use the field classes of sikkerby.encryption (keys from FIELD_ENCRYPTION_KEYS).",
                    obj=field, id="accounts.E102"))
    return errors


def verify_encryption_keys(using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise ImproperlyConfigured unless the configured keys fit the stored data; called at process start.

    Skips silently when the canary table does not exist yet; writes the canary if it is missing
    (first use). A pending rotation (canary not under the newest key) is logged as a warning.
    """
    problems = key_problems(using)
    errors = [p for p in problems if p.is_serious()]
    if errors:
        raise ImproperlyConfigured(" ".join(f"{p.msg} {p.hint or ''}".strip() for p in errors))
    for p in problems:
        logger.warning("%s %s", p.msg, p.hint or "")
    canary_ensure(using=using)


def verify_encryption_keys_at_start() -> None:
    """The start-up guard of gunicorn and the Celery worker: verify, then close the connection it used.

    Closing matters: the process forks workers after this, and they must not share its connection.
    A database that does not answer is not a reason to stay down (pages answer 503 until it is back,
    see docs/database-roles.md); the keys are then not verified at start, and a value they cannot
    decrypt still raises EncryptionKeyError rather than showing as text.
    """
    try:
        verify_encryption_keys()
    except OperationalError:
        logger.warning("encryption keys not verified at start: the database did not answer")
    finally:
        connections.close_all()


@dataclass
class ReencryptResult:
    model: str
    rows: int = 0
    reencrypted: int = 0  # values moved onto the newest key
    current: int = 0  # values already under the newest key


def fields_reencrypt(*, using: str = DEFAULT_DB_ALIAS, batch_size: int = 500, apps=global_apps,
                     progress=None) -> list[ReencryptResult]:
    """Re-encrypt every encrypted value of every row of every model under the newest key.

    Token by token with ``MultiFernet.rotate`` (no plaintext leaves this function); values already under
    the newest key are left alone, so a second run changes nothing. One transaction per batch, rows
    locked (``select_for_update``) so an edit cannot slip in between reading and writing a row.
    Raises EncryptionKeyError (model, field, pk) on a value no configured key decrypts; batches
    committed before stay committed, and running again continues safely.
    """
    multi, newest = multi_fernet(), newest_fernet()
    results = []
    for model, fields in encrypted_fields(apps):
        wrong = [f.name for f in fields if not isinstance(f, RotatingKeysMixin)]
        if wrong:
            raise ImproperlyConfigured(f"{model._meta.label} has encrypted fields with the library's own keys "
                                       f"({', '.join(wrong)}); see system check accounts.E102.")
        result = ReencryptResult(model=model._meta.label)
        manager = model._base_manager.using(using)
        pks = list(manager.order_by("pk").values_list("pk", flat=True))
        raw_names = {f"_raw_{f.attname}": f for f in fields}
        for start in range(0, len(pks), batch_size):
            batch = pks[start:start + batch_size]
            with transaction.atomic(using=using):
                rows = (manager.select_for_update().filter(pk__in=batch).order_by("pk")
                        .annotate(**{name: _raw(f) for name, f in raw_names.items()})
                        .values_list("pk", *raw_names))
                for pk, *tokens in rows:
                    result.rows += 1
                    changes = {}
                    for field, token in zip(raw_names.values(), tokens, strict=True):
                        if not token:
                            continue
                        try:
                            newest.decrypt(token.encode())
                            result.current += 1
                            continue
                        except InvalidToken:
                            pass
                        try:
                            rotated = multi.rotate(token.encode()).decode()
                        except InvalidToken:
                            raise EncryptionKeyError(f"{model._meta.label}.{field.name}", pk=pk) from None
                        changes[field.attname] = Value(rotated, output_field=TextField())
                        result.reencrypted += 1
                    if changes:
                        manager.filter(pk=pk).update(**changes)
            if progress:
                progress(result)
        results.append(result)
    return results
