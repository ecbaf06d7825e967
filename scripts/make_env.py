"""Write a .env with freshly generated keys for the local (embedded) setup.

Run by ``make run``; the file is git-ignored. Production sets the same
variables in its own environment (see docker-compose.yml).

An existing .env is kept; a variable it lacks is added (a .env from before
FIELD_ENCRYPTION_KEYS existed gets a key, and keeps its FIELD_ENCRYPTION_SALT so
the data already written stays readable until ``manage.py reencrypt_fields``).
"""
import secrets
from pathlib import Path

from cryptography.fernet import Fernet

env = Path(__file__).resolve().parent.parent / ".env"
wanted = {
    "SECRET_KEY": lambda: secrets.token_urlsafe(50),
    "FIELD_ENCRYPTION_KEYS": lambda: Fernet.generate_key().decode(),
    "CPR_HASH_KEY": lambda: secrets.token_urlsafe(32),
}
text = env.read_text(encoding="utf-8") if env.exists() else ""
present = {line.split("=", 1)[0].strip() for line in text.splitlines() if "=" in line and not line.startswith("#")}
missing = [name for name in wanted if name not in present]
if missing:
    if text and not text.endswith("\n"):
        text += "\n"
    text += "".join(f"{name}={wanted[name]()}\n" for name in missing)
    env.write_text(text, encoding="utf-8")
    print(f"wrote {', '.join(missing)} to {env.name} (new random keys)")
    if text and "FIELD_ENCRYPTION_KEYS" in missing and "FIELD_ENCRYPTION_SALT" in present:
        print("existing encrypted data: run `manage.py reencrypt_fields`, then remove FIELD_ENCRYPTION_SALT")
