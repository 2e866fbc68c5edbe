from django.db import migrations

# TRUNCATE empties a table without firing its row triggers, so the append-only trigger of
# 0002 does not see it: a statement trigger refuses it too. A superuser may: one can switch
# any trigger off anyway, and the tests' teardown empties every table as one.
REFUSE_TRUNCATE = """
CREATE FUNCTION rota_auditevent_refuses_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('is_superuser') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only: TRUNCATE is not allowed'
        USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER rota_auditevent_refuses_truncate
    BEFORE TRUNCATE ON rota_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION rota_auditevent_refuses_truncate();
"""

# The app connects as a role of its own (deploy/postgres/roles.sql), which is given reading
# and writing on every table the owner makes. On the audit trail only the owner, who runs
# the migrations, keeps more than reading and adding: whoever else was given UPDATE, DELETE,
# TRUNCATE, TRIGGER or REFERENCES on it loses them, PUBLIC included.
KEEP_TO_THE_OWNER = """
DO $$
DECLARE
    grantee_name text;
BEGIN
    REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON rota_auditevent FROM PUBLIC;
    FOR grantee_name IN
        SELECT DISTINCT acl.grantee::regrole::text
        FROM pg_class table_, aclexplode(table_.relacl) acl
        WHERE table_.oid = 'rota_auditevent'::regclass
          AND acl.grantee <> 0
          AND acl.grantee <> table_.relowner
    LOOP
        EXECUTE format(
            'REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON rota_auditevent FROM %s',
            grantee_name
        );
    END LOOP;
END;
$$;
"""

DROP = """
DROP TRIGGER rota_auditevent_refuses_truncate ON rota_auditevent;
DROP FUNCTION rota_auditevent_refuses_truncate();
"""


def forwards(apps, schema_editor):
    # The SQLite demo has no such triggers or roles; there nothing in the code edits events.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_TRUNCATE, params=None)
        schema_editor.execute(KEEP_TO_THE_OWNER, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("rota", "0007_help_request_expected_at")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
