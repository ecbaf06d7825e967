"""Least privilege in the database: the application's PostgreSQL role owns nothing.

In production two roles reach the database. The *owner* (the role that runs
``migrate``) owns every table, sequence and trigger. The *app role* (the one
gunicorn, the Celery worker and beat connect as) may read and write rows, and
nothing else: it cannot TRUNCATE, ALTER or DROP a table, disable a trigger, or
create a table, because all of these need ownership or CREATE on the schema.

On top of that the append-only audit tables lose UPDATE and DELETE for the app
role, so the database itself refuses to rewrite history whatever the
application's code does:

- ``exitprogram_accesslog`` (who read or changed which exit case; a trigger
  also refuses UPDATE/DELETE from any client, the owner included);
- ``auditlog_logentry`` (django-auditlog's change and access log). One column
  keeps UPDATE: ``actor_id``, because the foreign key to the user is
  ``on_delete=SET_NULL`` and Django performs that in Python with an UPDATE
  when a user is deleted. Without it, deleting a user who has ever changed
  anything would fail with "permission denied".

``grant_app_role`` (the management command) runs ``app_role_grant`` as the
owner after every ``migrate``; it is idempotent. ``ALTER DEFAULT PRIVILEGES``
gives the app role the row privileges on tables that later migrations create,
so a deployment that forgets the command after a migration still works — but
only the command re-applies the audit-table revokes, so run it every time.
"""
from dataclasses import dataclass

from django.db import connection as default_connection
from django.db import transaction
from psycopg2 import sql

# Append-only tables: the app role may INSERT and SELECT, never UPDATE, DELETE or TRUNCATE.
APPEND_ONLY_TABLES = ("exitprogram_accesslog", "auditlog_logentry")
# Columns of those tables that Django must still be able to update (see the module docstring).
APPEND_ONLY_UPDATABLE_COLUMNS = {"auditlog_logentry": ("actor_id",)}


class NotPostgreSQL(Exception):
    """Roles and grants exist only on PostgreSQL; SQLite has a single user, the file's."""


@dataclass(frozen=True)
class GrantResult:
    role: str
    database: str
    schema: str
    owner: str
    tables: int
    append_only: tuple[str, ...]


def _statements(*, role: str, database: str, schema: str, owner: str, append_only: list[str]) -> list[sql.Composed]:
    r, s, o = sql.Identifier(role), sql.Identifier(schema), sql.Identifier(owner)
    stmts = [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), r),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, r),
        # Nothing of the app role's own in the schema: no tables of its own to hide data in or shadow ours with.
        # (PostgreSQL 15 no longer gives PUBLIC CREATE on "public"; older clusters did.)
        sql.SQL("REVOKE CREATE ON SCHEMA {} FROM {}").format(s, r),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(s, r),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(s, r),
        # Tables and sequences the owner's later migrations create get the same row privileges.
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} "
                "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}").format(o, s, r),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} "
                "GRANT USAGE, SELECT ON SEQUENCES TO {}").format(o, s, r),
    ]
    for table in append_only:
        t = sql.Identifier(schema, table)
        # TRUNCATE was never granted; revoking it too states the intent and undoes a hand-made GRANT ALL.
        # A table-level REVOKE also revokes the column-level grants, so the GRANT below starts from nothing.
        stmts.append(sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(t, r))
        columns = APPEND_ONLY_UPDATABLE_COLUMNS.get(table, ())
        if columns:
            stmts.append(sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(
                sql.SQL(", ").join(sql.Identifier(c) for c in columns), t, r))
    return stmts


def app_role_grant(*, role: str, connection=None) -> GrantResult:
    """Give ``role`` the row privileges the application needs, and no more (idempotent).

    Run as the owner of the tables (the role ``migrate`` ran as). The role must exist already:
    creating it, and its password, is the cluster administrator's job (see ``deploy/``).
    """
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        raise NotPostgreSQL(f"Database roles need PostgreSQL; this database is {connection.vendor}.")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = cursor.fetchone()
        # The owner is whoever ran the migrations (a superuser may run this command on the owner's behalf).
        cursor.execute("SELECT tableowner FROM pg_tables WHERE schemaname = %s AND tablename = 'django_migrations'",
                       [schema])
        row = cursor.fetchone()
        if row is None:
            raise ValueError(f"No django_migrations table in schema {schema!r} of {database!r}: run migrate first.")
        owner = row[0]
        cursor.execute("SELECT rolsuper, pg_has_role(rolname, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
                       [owner, role])
        row = cursor.fetchone()
        if row is None:
            raise ValueError(f"The role {role!r} does not exist; create it first (CREATE ROLE ... LOGIN).")
        if row[0]:
            raise ValueError(f"{role!r} is a superuser: no grant or revoke limits it.")
        if row[1]:
            raise ValueError(f"{role!r} is the owner of the tables ({owner!r}) or a member of it: "
                             "the application must connect as a role that owns nothing.")
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        tables = {row[0] for row in cursor.fetchall()}
        append_only = [t for t in APPEND_ONLY_TABLES if t in tables]
        for statement in _statements(role=role, database=database, schema=schema, owner=owner,
                                     append_only=append_only):
            cursor.execute(statement.as_string(connection.connection))
    return GrantResult(role=role, database=database, schema=schema, owner=owner, tables=len(tables),
                       append_only=tuple(append_only))

