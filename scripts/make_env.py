"""Write a .env with freshly generated keys for the local (embedded) setup.

Run by ``make run`` once; the file is git-ignored. Production sets the same
variables in its own environment (see docker-compose.yml).
"""
import secrets
from pathlib import Path

env = Path(__file__).resolve().parent.parent / ".env"
if not env.exists():
    env.write_text(
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"FIELD_ENCRYPTION_SALT={secrets.token_hex(16)}\n"
        f"CPR_HASH_KEY={secrets.token_urlsafe(32)}\n",
        encoding="utf-8",
    )
    print(f"wrote {env.name} with new random keys")
