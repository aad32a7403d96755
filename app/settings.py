"""Configuration from the environment (GEOEVENTS_*), read when asked for, never at import."""

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting the service reads; each maps to GEOEVENTS_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="GEOEVENTS_", extra="ignore")

    database_url: str = "sqlite:///./geoevents.db"
    """SQLAlchemy URL. SQLite by default; `postgresql+psycopg://...` scales out."""

    cursor_secret: str = "geoevents-cursor"
    """Key that signs pagination cursors, so a tampered cursor is refused, not misread."""

    cors_origins: Annotated[list[str], NoDecode] = []
    """Origins allowed to call the API from a browser, comma-separated; "*" allows any."""

    seed_on_start: bool = True
    """`geoevents serve` seeds the bundled documents when the database has no source yet."""

    require_token_for_reads: bool = False
    """Every GET under /api/v1 needs a bearer token (any scope); health, docs and the explorer's page stay open."""

    max_body_bytes: int = 1024 * 1024
    """Largest request body the editing API reads (413 beyond it), in bytes."""

    statement_timeout_ms: int = Field(5000, ge=0)
    """Longest an API statement may run (ms) before its request gets a 503 problem; 0 for none.

    Only the API's engine has it: seeding, imports and the CLI run as long as they need."""

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value


def get_settings() -> Settings:
    """Read the settings from the environment now."""
    return Settings()
