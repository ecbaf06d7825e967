"""Keys that can rotate (issue #14, item 4): FIELD_ENCRYPTION_KEYS, reencrypt_fields, the canary.

Real database, real keys: the ``settings`` fixture changes the key list between reads, as an operator
changes the environment between restarts.
"""
import io
import os
import subprocess
import sys
from datetime import date

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings as django_settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import connection, transaction
from django.db.models import TextField, Value
from django.urls import reverse
from encrypted_fields import fields as library

from accounts.encryption import (
    CANARY_TEXT,
    canary_ensure,
    encrypted_fields,
    verify_encryption_keys,
)
from accounts.models import EncryptionCanary
from exitprogram import services
from exitprogram.models import ExitCase, Meeting, Note, PhaseTransition, PlanItem
from sikkerby.encryption import EncryptionKeyError, looks_like_token

from .factories import advance_to_inclusion, close_case, cpr_for, make_case

# Public, test-only keys (32 bytes in url-safe base64). A Fernet key is a 16-byte signing key followed by a
# 16-byte encryption key, so test keys must differ in their first 16 bytes: two keys that share them verify each
# other's tokens, and MultiFernet then decrypts with the wrong key: a padding error (it goes on to the next
# key) in about 255 of 256 cases, garbage in the rest, without trying the right key. K2 used to be K1 with its
# last byte changed, so the rotation test failed now and then (about 1 in 256 per value read with [K2, K1]; it
# failed once in this round's CI runs). Real keys are random (``Fernet.generate_key``).
K1 = "dGVzdC1vbmx5LWZpZWxkLWtleS1ub3Qtc2VjcmV0LTE="  # the test settings' key: "test-only-field-key-not-secret-1"
K2 = "cm90YXRpb24ta2V5LXR3by1mb3ItdGVzdHMtb25seSE="  # the new key of a rotation: "rotation-key-two-for-tests-only!"
WRONG = "YS1rZXktbm8tZGF0YS13YXMtd3JpdHRlbi13aXRoISE="  # a key no data was written with


def test_the_test_keys_do_not_share_a_signing_key():
    import base64

    signing = {base64.urlsafe_b64decode(k)[:16] for k in (K1, K2, WRONG)}
    assert len(signing) == 3

pytestmark = pytest.mark.django_db


def _raw(field):
    from django.db.models.functions import Cast

    return Cast(field.attname, output_field=TextField())


def snapshot() -> dict:
    """Every encrypted value of every row, decrypted through the ORM: {(model, pk, field): text}."""
    values = {}
    for model, fields in encrypted_fields():
        for row in model._base_manager.order_by("pk").values("pk", *[f.attname for f in fields]):
            pk = row.pop("pk")
            values.update({(model._meta.label, pk, name): v for name, v in row.items()})
    return values


def raw_tokens() -> dict:
    """Every stored token, as the database holds it."""
    tokens = {}
    for model, fields in encrypted_fields():
        for f in fields:
            for pk, token in model._base_manager.annotate(t=_raw(f)).values_list("pk", "t"):
                if token:
                    tokens[(model._meta.label, pk, f.name)] = token
    return tokens


def store_raw(instance, field_name: str, token: str) -> None:
    """Write a token as-is (bypassing the field's encryption), as a restore or an old key would leave it."""
    type(instance)._base_manager.filter(pk=instance.pk).update(**{field_name: Value(token, output_field=TextField())})


def reencrypt() -> str:
    out = io.StringIO()
    call_command("reencrypt_fields", "--batch-size", "2", stdout=out)
    return out.getvalue()


def database_check_messages():
    return checks.run_checks(tags=[checks.Tags.database], databases=["default"])


@pytest.fixture
def full_case(consultant, mentor):
    """A closed case with every kind of encrypted text: person, CPR, baseline, meeting, plan, notes, evaluation."""
    case = make_case(consultant=consultant, first_name="Aksel", last_name="Østergård",
                     cpr=cpr_for(date(1991, 2, 3), 321))
    advance_to_inclusion(case, consultant=consultant, mentor=mentor)
    services.note_create(actor=consultant, case=case, written_on=date(2011, 6, 1), text="Møde med mentor gik godt")
    close_case(case, consultant=consultant)
    return ExitCase.objects.get(pk=case.pk)


def test_rotation_add_key_reencrypt_drop_old_key_keeps_every_field(settings, client, full_case, consultant):
    before = snapshot()
    before_case = {k[2]: v for k, v in before.items() if k[:2] == ("exitprogram.ExitCase", full_case.pk)}
    assert before_case["first_name"] == "Aksel" and before_case["cpr"] == "0302910321"
    assert before_case["baseline_housing"] == "Bor hos mor" and before_case["evaluation"] == "Klarer sig selv"
    for model in (Meeting, PlanItem, Note, PhaseTransition):
        assert model.objects.filter(case=full_case).exists()

    # 1. the new key goes in front: both decrypt, the new one encrypts
    settings.FIELD_ENCRYPTION_KEYS = [K2, K1]
    assert snapshot() == before
    assert [m.id for m in database_check_messages()] == ["accounts.W101"]  # the rotation is not finished

    # 2. the command moves every value onto the new key, batch by batch
    out = reencrypt()
    assert f"exitprogram.ExitCase: 1 rows, {sum(1 for v in before_case.values() if v)} values re-encrypted" in out
    assert "accounts.EncryptionCanary: 1 rows, 1 values re-encrypted" in out
    assert all(Fernet(K2).decrypt(t.encode()) for t in raw_tokens().values())
    assert database_check_messages() == []

    # 3. the old key is dropped: everything still reads, and nothing is under the old key any more
    settings.FIELD_ENCRYPTION_KEYS = [K2]
    assert snapshot() == before
    for token in raw_tokens().values():
        with pytest.raises(InvalidToken):
            Fernet(K1).decrypt(token.encode())
    case = ExitCase.objects.get(pk=full_case.pk)
    assert (case.first_name, case.last_name, case.cpr, case.baseline_crime) == (
        "Aksel", "Østergård", "0302910321", "Niveau 3")
    verify_encryption_keys()
    assert database_check_messages() == []

    # CPR search goes through the keyed hash, which rotation does not touch
    client.force_login(consultant)
    response = client.post(reverse("exitprogram:case_find"), {"cpr": "030291-0321"})
    assert response.status_code == 302 and response.url == reverse("exitprogram:case_detail", args=[case.uuid])
    page = client.get(response.url).content.decode()
    assert "Aksel" in page and "gAAAA" not in page

    # idempotent: a second run changes nothing
    again = reencrypt()
    assert "exitprogram.ExitCase: 1 rows, 0 values re-encrypted" in again
    assert "done: 0 values re-encrypted" in again


def test_wrong_keys_raise_a_clear_error_and_never_show_the_token(settings, client, full_case, consultant):
    settings.FIELD_ENCRYPTION_KEYS = [WRONG]
    with pytest.raises(EncryptionKeyError) as caught:
        ExitCase.objects.get(pk=full_case.pk)
    message = str(caught.value)
    assert "exitprogram.ExitCase." in message and "FIELD_ENCRYPTION_KEYS" in message
    assert "gAAAA" not in message and "Aksel" not in message
    with pytest.raises(EncryptionKeyError, match=r"exitprogram\.Note\.text"):
        list(Note.objects.filter(case=full_case).values_list("text", flat=True))

    # The page fails (500) rather than showing ciphertext as a name.
    client.force_login(consultant)
    client.raise_request_exception = False
    for name in ("exitprogram:case_detail", "exitprogram:case_edit"):
        response = client.get(reverse(name, args=[full_case.uuid]))
        assert response.status_code == 500
        assert b"gAAAA" not in response.content


def test_a_token_is_never_encrypted_again(full_case, consultant):
    token = raw_tokens()[("exitprogram.ExitCase", full_case.pk, "first_name")]
    assert looks_like_token(token) and not looks_like_token("Aksel") and not looks_like_token("gAAAAA")
    # A form (through the service's full_clean) is told, not saved ...
    with pytest.raises(ValidationError) as caught:
        services.case_update(actor=consultant, case=full_case, expected_version=full_case.version, first_name=token)
    assert "first_name" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.note_create(actor=consultant, case=full_case, written_on=date(2011, 7, 1), text=token)
    # ... and a save that skips validation is refused by the field itself.
    case = ExitCase.objects.get(pk=full_case.pk)
    case.last_name = token
    with pytest.raises(EncryptionKeyError, match="already a Fernet token"), transaction.atomic():
        case.save()
    assert ExitCase.objects.get(pk=full_case.pk).last_name == "Østergård"


def test_check_and_verify_fail_with_wrong_keys_and_pass_with_right_ones(settings):
    canary_ensure()
    assert EncryptionCanary.objects.get().value == CANARY_TEXT
    assert database_check_messages() == []
    verify_encryption_keys()
    call_command("check", "--database", "default", stdout=io.StringIO())

    settings.FIELD_ENCRYPTION_KEYS = [WRONG]
    messages = database_check_messages()
    assert [m.id for m in messages] == ["accounts.E101"] and messages[0].is_serious()
    with pytest.raises(ImproperlyConfigured, match="cannot decrypt the encryption canary"):
        verify_encryption_keys()
    with pytest.raises(SystemCheckError, match="accounts.E101"):
        call_command("check", "--database", "default", stdout=io.StringIO(), stderr=io.StringIO())
    # without --database the check needs no database and does not run
    call_command("check", stdout=io.StringIO())

    settings.FIELD_ENCRYPTION_KEYS = [WRONG, K1]  # a new key not yet used: fits, rotation pending
    assert [m.id for m in database_check_messages()] == ["accounts.W101"]
    verify_encryption_keys()

    settings.FIELD_ENCRYPTION_KEYS = ["not-a-fernet-key"]
    messages = database_check_messages()
    assert [m.id for m in messages] == ["accounts.E100"] and "FIELD_ENCRYPTION_KEYS[0]" in messages[0].msg
    settings.FIELD_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS is empty"):
        verify_encryption_keys()


def test_no_canary_table_yet_is_skipped_silently(settings):
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute(f"DROP TABLE {EncryptionCanary._meta.db_table}")
    settings.FIELD_ENCRYPTION_KEYS = [WRONG]
    assert database_check_messages() == []
    verify_encryption_keys()


def test_a_canary_is_not_written_under_keys_that_do_not_fit_stored_data(settings, full_case):
    EncryptionCanary.objects.all().delete()
    settings.FIELD_ENCRYPTION_KEYS = [WRONG]
    assert [m.id for m in database_check_messages()] == ["accounts.E101"]
    with pytest.raises(ImproperlyConfigured, match="exitprogram.ExitCase"):
        verify_encryption_keys()
    assert not EncryptionCanary.objects.exists()

    settings.FIELD_ENCRYPTION_KEYS = [K1]
    verify_encryption_keys()  # first use: writes the canary
    assert Fernet(K1).decrypt(raw_tokens()[("accounts.EncryptionCanary", EncryptionCanary.objects.get().pk,
                                            "value")].encode()).decode() == CANARY_TEXT


def test_legacy_rows_are_readable_while_the_salt_is_set_and_moved_by_the_command(settings, full_case):
    # A row as the old setup wrote it: the library's own field, keys derived from SECRET_KEY + salt.
    settings.SECRET_KEY, settings.SALT_KEY = "the-old-secret-key", ["the-old-salt"]
    legacy = library.EncryptedTextField()  # a fresh instance: its cached keys are the settings' above
    store_raw(full_case, "first_name", legacy.get_prep_value("Gammel"))
    note = Note.objects.filter(case=full_case).first()
    store_raw(note, "text", legacy.get_prep_value("Gammel note"))

    settings.SALT_KEY = []  # without the legacy keys the row does not read ...
    with pytest.raises(EncryptionKeyError, match="exitprogram.ExitCase.first_name"):
        ExitCase.objects.get(pk=full_case.pk)
    settings.SALT_KEY = ["the-old-salt"]  # ... with them it does
    assert ExitCase.objects.get(pk=full_case.pk).first_name == "Gammel"
    assert Note.objects.get(pk=note.pk).text == "Gammel note"
    before = snapshot()

    out = reencrypt()
    assert "exitprogram.ExitCase: 1 rows, 1 values re-encrypted" in out
    assert "exitprogram.Note: 1 rows, 1 values re-encrypted" in out

    settings.SALT_KEY = []  # the salt is dropped: everything is under FIELD_ENCRYPTION_KEYS
    assert snapshot() == before
    assert all(Fernet(K1).decrypt(t.encode()) for t in raw_tokens().values())


def test_the_command_stops_on_a_value_no_key_decrypts_and_names_it(full_case):
    note = Note.objects.filter(case=full_case).first()
    store_raw(note, "text", Fernet(WRONG).encrypt(b"Skrevet med en anden nogle").decode())
    with pytest.raises(CommandError) as caught:
        reencrypt()
    assert f"exitprogram.Note.text (pk={note.pk})" in str(caught.value)
    assert "gAAAA" not in str(caught.value)


def test_every_encrypted_field_uses_the_rotating_keys():
    assert checks.run_checks(tags=[checks.Tags.models]) == []
    found = {m._meta.label: {f.name for f in fs} for m, fs in encrypted_fields()}
    assert {"first_name", "last_name", "cpr", "baseline_economy", "evaluation"} <= found["exitprogram.ExitCase"]
    assert found["accounts.EncryptionCanary"] == {"value"}


def _production_env(db_path, keys):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "FIELD_ENCRYPTION_SALT"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "sikkerby.settings.production",
        "SECRET_KEY": "x" * 50, "CPR_HASH_KEY": "hash-key-for-the-test", "FIELD_ENCRYPTION_KEYS": keys,
        "DATABASE_URL": f"sqlite:///{db_path}", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/11",
        "PYTHONPATH": str(django_settings.BASE_DIR), "LOG_LEVEL": "WARNING",
    })
    return env


@pytest.mark.django_db(False)
def test_web_app_and_worker_refuse_to_start_with_keys_that_do_not_fit(tmp_path):
    db = tmp_path / "start.sqlite3"
    python, celery = sys.executable, os.path.join(os.path.dirname(sys.executable), "celery")

    def run(args, keys, timeout=120):
        return subprocess.run(args, cwd=tmp_path, env=_production_env(db, keys), capture_output=True, text=True,
                              timeout=timeout)

    # A fresh database before migrate: nothing to check, the app starts.
    assert run([python, "-c", "import sikkerby.wsgi"], WRONG).returncode == 0
    migrated = run([python, str(django_settings.BASE_DIR / "manage.py"), "migrate", "--noinput", "-v0"], K1,
                   timeout=300)
    assert migrated.returncode == 0, migrated.stderr

    ok = run([python, "-c", "import sikkerby.wsgi"], f"{K2},{K1}")
    assert ok.returncode == 0, ok.stderr
    web = run([python, "-c", "import sikkerby.wsgi"], WRONG)
    assert web.returncode != 0 and "cannot decrypt the encryption canary" in web.stderr
    # The worker stops in worker_init, before it would connect to the broker.
    worker = run([celery, "-A", "sikkerby", "worker", "--pool", "solo", "--loglevel", "WARNING"], WRONG)
    assert worker.returncode == 1 and "refusing to start" in worker.stderr
    assert "gAAAA" not in web.stderr + worker.stderr


@pytest.mark.django_db(transaction=True)
def test_flush_writes_the_canary_again():
    # Between transactional tests the database is flushed and post_migrate sent without a migration state.
    call_command("flush", "--noinput", verbosity=0)
    assert EncryptionCanary.objects.get().value == CANARY_TEXT
