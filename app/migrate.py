"""Alembic driven from code: `geoevents db upgrade`, the server's start-up and the tests."""

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from app.database import begin_writing, take_turns_writing
from app.resources import migrations_dir


def alembic_config(url: str) -> Config:
    """An Alembic config for this project without an alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option(
        "file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d_%%(slug)s"
    )
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision` in one transaction."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    sqlite = engine.dialect.name == "sqlite"
    before = current_revision(engine)
    with engine.connect() as connection:
        if sqlite:
            # Batch migrations rebuild tables on SQLite; with foreign keys on, dropping the
            # old copy would cascade-delete every child row. The pragma only takes effect
            # outside a transaction, so it is set before BEGIN and checked after COMMIT.
            raw = connection.connection.dbapi_connection
            raw.execute("PRAGMA foreign_keys = OFF")
        config.attributes["connection"] = connection
        try:
            # Processes started together on a new database (several `serve` workers or
            # instances, a `db upgrade` beside them) must not both build the schema: the first
            # takes the write lock before reading the revision, the others wait for it and
            # then find nothing left to do. A plain BEGIN would let them all read "no schema"
            # and fail on each other's locks or tables.
            with begin_writing(connection):
                take_turns_writing(connection)
                command.upgrade(config, revision)
            # The check reads the whole database (seconds at a million events): only after
            # a migration actually ran, not on every start of an up-to-date server.
            if sqlite and current_revision(engine) != before:
                broken = raw.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left dangling references: {broken[:5]}")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys = ON")


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None if it was never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
