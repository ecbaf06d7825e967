"""Encrypted model fields whose keys can rotate.

Thin subclasses of django-fernet-encrypted-fields: the library does the
encryption (Fernet), these classes only choose the keys and refuse to pass
ciphertext off as text.

Keys
    ``settings.FIELD_ENCRYPTION_KEYS`` — Fernet keys from the environment,
    newest first. The newest encrypts; every key decrypts (``MultiFernet``).
    They are independent of ``SECRET_KEY``, so rotating that does not touch
    the data.

Legacy keys
    Data written before these keys existed was encrypted under keys the
    library derives from ``SECRET_KEY`` (and ``SECRET_KEY_FALLBACKS``) and
    ``SALT_KEY`` (the environment's ``FIELD_ENCRYPTION_SALT``). While that salt
    is set, those derived keys are appended as decrypt-only keys, so such rows
    stay readable until ``manage.py reencrypt_fields`` moves them onto the
    newest key; then the salt is dropped.

Failure
    A stored value no configured key decrypts raises ``EncryptionKeyError``
    (naming model and field, never the value) instead of coming back as the
    token; a value that looks like a Fernet token is never encrypted again.

Keys are looked up on every use (cached by their value, not on the field), so
a changed setting — a test's ``settings`` fixture, for one — takes effect at once.
"""
from __future__ import annotations

import base64
import binascii
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _
from encrypted_fields import fields as library

__all__ = [
    "EncryptedCharField",
    "EncryptedTextField",
    "EncryptionKeyError",
    "RotatingKeysMixin",
    "configured_keys",
    "looks_like_token",
    "multi_fernet",
    "newest_fernet",
]


class EncryptionKeyError(Exception):
    """A stored encrypted value that none of the configured keys decrypts.

    The message names the model and field (and the row where known), never the value.
    """

    def __init__(self, label: str, pk=None, problem: str = ""):
        self.label = label
        self.pk = pk
        where = f"{label} (pk={pk})" if pk is not None else label
        super().__init__(f"{where}: " + (problem or (
            "none of the configured FIELD_ENCRYPTION_KEYS decrypts the stored value. "
            "The keys do not fit the data: restore the key list the data was written with "
            "(see 'Keys and rotation' in docs/exit-programme.md).")))


# A Fernet token: version byte 0x80, a 64-bit timestamp whose first bytes are 0 for centuries
# (hence "gAAAAA"), 16 bytes IV, ciphertext in 16-byte blocks, 32 bytes HMAC.
_TOKEN_RE = re.compile(r"^gAAAAA[A-Za-z0-9_-]+={0,2}$")


def looks_like_token(value) -> bool:
    """True for a string with the shape of a Fernet token (whatever key made it)."""
    if not isinstance(value, str) or not _TOKEN_RE.match(value):
        return False
    try:
        raw = base64.urlsafe_b64decode(value)
    except (binascii.Error, ValueError):
        return False
    return raw[:1] == b"\x80" and len(raw) >= 73 and (len(raw) - 57) % 16 == 0


def validate_not_ciphertext(value) -> None:
    """Form and model validation: a pasted or round-tripped token is not text to be encrypted again."""
    if looks_like_token(value):
        raise ValidationError(_("This looks like encrypted data, not text. It was not saved."),
                              code="ciphertext")


@lru_cache(maxsize=8)
def _legacy_keys(secret_keys: tuple[str, ...], salts: tuple[str, ...]) -> tuple[bytes, ...]:
    # The library's own derivation (PBKDF2, 100,000 rounds per pair: cached by the inputs); it reads
    # the settings itself, and the arguments are those settings' current values.
    del secret_keys, salts
    return tuple(library.EncryptedFieldMixin.keys.func(None))


def configured_keys() -> tuple[bytes, ...]:
    """The keys in the order MultiFernet uses them: FIELD_ENCRYPTION_KEYS newest first, then legacy keys."""
    raw = getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or []
    if isinstance(raw, str):
        raw = [raw]
    keys = [k.encode() if isinstance(k, str) else bytes(k) for k in raw if k]
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is empty: set it to one or more Fernet keys, newest first "
            "(see 'Keys and rotation' in docs/exit-programme.md).")
    salts = getattr(settings, "SALT_KEY", None) or []
    if isinstance(salts, str):
        salts = [salts]
    if salts:
        secrets = (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))
        keys.extend(_legacy_keys(tuple(secrets), tuple(salts)))
    return tuple(keys)


@lru_cache(maxsize=8)
def _multi_fernet(keys: tuple[bytes, ...]) -> MultiFernet:
    fernets = []
    for position, key in enumerate(keys):
        try:
            fernets.append(Fernet(key))
        except (ValueError, binascii.Error):
            # The position, never the key.
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS[{position}] is not a Fernet key (32 url-safe base64-encoded "
                "bytes; make one with cryptography's Fernet.generate_key()).") from None
    return MultiFernet(fernets)


def multi_fernet() -> MultiFernet:
    """Encrypts with the newest key, decrypts with any configured key (legacy ones included)."""
    return _multi_fernet(configured_keys())


def newest_fernet() -> Fernet:
    multi_fernet()  # validates every key
    return Fernet(configured_keys()[0])


class RotatingKeysMixin:
    """Keys from FIELD_ENCRYPTION_KEYS (plus legacy keys); strict decryption; no double encryption."""

    default_validators = [validate_not_ciphertext]

    # The library caches these per field instance (cached_property) for the life of the process; a
    # property looking up the settings each time lets the key list change (rotation, tests).
    @property
    def keys(self) -> list[bytes]:
        return list(configured_keys())

    @property
    def f(self) -> MultiFernet:
        return multi_fernet()

    @property
    def _label(self) -> str:
        model = getattr(self, "model", None)
        return f"{model._meta.label}.{self.name}" if model is not None else str(self.name)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        try:
            plain = multi_fernet().decrypt(value.encode("utf-8")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise EncryptionKeyError(self._label) from None
        return self._plain_to_python(plain)

    def _plain_to_python(self, value):
        # The unencrypted field's conversion (CharField/TextField.to_python), skipping the library's.
        return super(library.EncryptedFieldMixin, self).to_python(value)

    def to_python(self, value):
        # Never decrypt here: the library's to_python decrypts whatever decrypts and passes anything
        # else through unchanged, which is how a token reached forms as text (and, while a shared
        # field instance was in clean(), how another thread's read came back undecrypted).
        # Decryption happens once, strictly, in from_db_value.
        return self._plain_to_python(value)

    def clean(self, value, model_instance):
        # The library sets a flag on the shared field instance around clean(); to_python above
        # does not need it.
        return super(library.EncryptedFieldMixin, self).clean(value, model_instance)

    def get_prep_value(self, value):
        if looks_like_token(value):
            # The last line behind validate_not_ciphertext: a token is never encrypted as if it were text.
            raise EncryptionKeyError(self._label, problem="refusing to encrypt a value that is already a Fernet token.")
        return super().get_prep_value(value)


class EncryptedCharField(RotatingKeysMixin, library.EncryptedCharField):
    pass


class EncryptedTextField(RotatingKeysMixin, library.EncryptedTextField):
    pass
