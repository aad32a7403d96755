"""Configuration from the environment (GEOEVENTS_*), read when asked for, never at import."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting the service reads; each maps to GEOEVENTS_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="GEOEVENTS_", extra="ignore")

    database_url: str = "sqlite:///./geoevents.db"
    """SQLAlchemy URL. SQLite by default; `postgresql+psycopg://...` scales out."""

    cursor_secret: str = "geoevents-cursor"
    """Key that signs pagination cursors, so a tampered cursor is refused, not misread."""

    seed_on_start: bool = True
    """`geoevents serve` seeds the bundled documents when the database has no source yet."""


def get_settings() -> Settings:
    """Read the settings from the environment now."""
    return Settings()
