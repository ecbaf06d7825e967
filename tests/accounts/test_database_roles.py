"""Least privilege: the application's database role can write rows, not rewrite the audit trail or the schema.

The PostgreSQL tests make a real LOGIN role in the test database's cluster, run ``grant_app_role`` as the
owner (the test connection's user, who ran the migrations), and then connect as that role with psycopg2:
what the role may not do must fail in PostgreSQL itself, not in the application's code.
"""
import uuid

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import User
from exitprogram.models import AccessLog

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="database roles and grants exist only on PostgreSQL (DATABASE_URL)")

psycopg2 = pytest.importorskip("psycopg2")
from psycopg2 import errors, sql  # noqa: E402


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite refusal")
@pytest.mark.django_db
def test_refused_clearly_on_sqlite():
    with pytest.raises(CommandError, match="SQLite"):
        call_command("grant_app_role", "sikkerby_app")


def _owner_execute(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def app_role(transactional_db):
    """A fresh LOGIN role (no privileges of its own), dropped with everything granted to it at the end."""
    name = f"sk_test_app_{uuid.uuid4().hex[:10]}"
    _owner_execute(f'CREATE ROLE "{name}" LOGIN')  # the name is [a-z0-9_]: nothing to escape
    opened = []

    def connect():
        s = connection.settings_dict
        conn = psycopg2.connect(dbname=s["NAME"], user=name, host=s["HOST"] or None, port=s["PORT"] or None,
                                password="")
        conn.autocommit = True
        opened.append(conn)
        return conn

    yield name, connect
    for conn in opened:
        conn.close()
    # DROP OWNED also revokes its privileges and default privileges in this database and on the database itself.
    _owner_execute(f'DROP OWNED BY "{name}"')
    _owner_execute(f'DROP ROLE "{name}"')


def _refused(conn, statement, params=None):
    """The statement fails for lack of privilege (not, say, because a trigger or a constraint stopped it)."""
    with conn.cursor() as cursor, pytest.raises(errors.InsufficientPrivilege):
        cursor.execute(statement, params)


def _rows(conn, statement, params=None):
    with conn.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else cursor.rowcount


@on_postgresql
def test_app_role_writes_rows_but_cannot_rewrite_the_audit_trail_or_the_schema(app_role):
    role, connect = app_role
    log = AccessLog.objects.create(username="owner", action=AccessLog.Action.VIEW, what="case page", purpose="test")
    entry = LogEntry.objects.create(content_type=ContentType.objects.get_for_model(User), object_pk="1",
                                    object_repr="someone", action=LogEntry.Action.UPDATE, changes={"x": ["1", "2"]})

    call_command("grant_app_role", role)
    call_command("grant_app_role", role)  # idempotent: a second run changes nothing and does not fail
    app = connect()

    # an ordinary table: every row operation
    assert _rows(app, "INSERT INTO django_session VALUES ('k-app-role', 'd', now() + interval '1 hour')") == 1
    assert _rows(app, "SELECT session_data FROM django_session WHERE session_key = 'k-app-role'") == [("d",)]
    assert _rows(app, "UPDATE django_session SET session_data = 'e' WHERE session_key = 'k-app-role'") == 1
    assert _rows(app, "DELETE FROM django_session WHERE session_key = 'k-app-role'") == 1
    # ... but not the table itself
    _refused(app, "TRUNCATE django_session")
    _refused(app, "ALTER TABLE django_session ADD COLUMN sneaky text")
    _refused(app, "DROP TABLE django_session")
    _refused(app, "CREATE TABLE django_session_copy (id int)")
    _refused(app, "CREATE TABLE exitprogram_accesslog_shadow AS SELECT * FROM exitprogram_accesslog")

    # the exit programme's access log: append and read only
    assert _rows(app, "INSERT INTO exitprogram_accesslog (at, username, case_reference, subject_hash, action, what, "
                      "purpose) VALUES (now(), 'app', '', '', 'view', 'case page', 'test')") == 1
    assert _rows(app, "SELECT count(*) FROM exitprogram_accesslog")[0][0] == 2
    _refused(app, "UPDATE exitprogram_accesslog SET what = 'nothing' WHERE id = %s", [log.pk])
    _refused(app, "DELETE FROM exitprogram_accesslog WHERE id = %s", [log.pk])
    _refused(app, "TRUNCATE exitprogram_accesslog")
    _refused(app, "ALTER TABLE exitprogram_accesslog DISABLE TRIGGER exitprogram_accesslog_no_update_delete")
    _refused(app, "ALTER TABLE exitprogram_accesslog DISABLE TRIGGER ALL")
    _refused(app, "DROP TRIGGER exitprogram_accesslog_no_update_delete ON exitprogram_accesslog")

    # django-auditlog's log: the same, except that a deleted user's entries lose their actor (on_delete=SET_NULL)
    columns = [f.column for f in LogEntry._meta.concrete_fields if not f.primary_key]
    column_list = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    assert _rows(app, sql.SQL("INSERT INTO auditlog_logentry ({c}) SELECT {c} FROM auditlog_logentry WHERE id = %s")
                 .format(c=column_list), [entry.pk]) == 1
    _refused(app, "UPDATE auditlog_logentry SET changes = '{}' WHERE id = %s", [entry.pk])
    _refused(app, "UPDATE auditlog_logentry SET object_repr = 'nobody', actor_id = NULL WHERE id = %s", [entry.pk])
    assert _rows(app, "UPDATE auditlog_logentry SET actor_id = NULL WHERE id = %s", [entry.pk]) == 1
    _refused(app, "DELETE FROM auditlog_logentry WHERE id = %s", [entry.pk])
    _refused(app, "TRUNCATE auditlog_logentry")
    _refused(app, "ALTER TABLE auditlog_logentry DISABLE TRIGGER ALL")

    assert AccessLog.objects.filter(pk=log.pk, what="case page").exists()
    assert LogEntry.objects.filter(pk=entry.pk, object_repr="someone").exists()


@on_postgresql
def test_tables_of_later_migrations_are_covered_by_default_privileges(app_role):
    role, connect = app_role
    call_command("grant_app_role", role)
    _owner_execute("CREATE TABLE sk_later_migration (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                   "note text)")
    _owner_execute("CREATE TABLE sk_later_serial (id serial PRIMARY KEY)")
    try:
        app = connect()
        assert _rows(app, "INSERT INTO sk_later_migration (note) VALUES ('a') RETURNING id") == [(1,)]
        assert _rows(app, "INSERT INTO sk_later_serial DEFAULT VALUES RETURNING id") == [(1,)]
        assert _rows(app, "SELECT note FROM sk_later_migration") == [("a",)]
        _refused(app, "TRUNCATE sk_later_migration")
        _refused(app, "DROP TABLE sk_later_migration")
    finally:
        _owner_execute("DROP TABLE sk_later_migration, sk_later_serial")


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize(("role", "message"), [("postgres", "superuser"), ("sk_no_such_role_x", "does not exist")])
def test_refuses_a_role_that_would_not_be_limited(role, message):
    with pytest.raises(CommandError, match=message):
        call_command("grant_app_role", role)
