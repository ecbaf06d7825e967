"""On PostgreSQL the access log refuses UPDATE and DELETE for every client, not only this application.

(SQLite, the embedded default, relies on the model and queryset guards.) TRUNCATE is not
blocked: it needs the table owner's privilege, which the application's database role must not
have in production, and the test runner empties tables with it between transactional tests.
"""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION exitprogram_accesslog_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'exitprogram_accesslog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER exitprogram_accesslog_no_update_delete
  BEFORE UPDATE OR DELETE ON exitprogram_accesslog
  FOR EACH ROW EXECUTE FUNCTION exitprogram_accesslog_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS exitprogram_accesslog_no_update_delete ON exitprogram_accesslog;
DROP FUNCTION IF EXISTS exitprogram_accesslog_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("exitprogram", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
