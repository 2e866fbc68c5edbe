from django.db import migrations

APPEND_ONLY = """
CREATE FUNCTION rota_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit trail is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER rota_auditevent_append_only
    BEFORE UPDATE OR DELETE ON rota_auditevent
    FOR EACH ROW EXECUTE FUNCTION rota_auditevent_append_only();
"""

DROP = """
DROP TRIGGER rota_auditevent_append_only ON rota_auditevent;
DROP FUNCTION rota_auditevent_append_only();
"""


# TRUNCATE is left to the database owner (test teardown flushes tables with it);
# the application never truncates.
def forwards(apps, schema_editor):
    # The SQLite demo has no triggers of this kind; there nothing in the code edits events.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("rota", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
