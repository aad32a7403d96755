"""/api/v1/changes: the change feed for clients that mirror the data."""

from fastapi import APIRouter

router = APIRouter(prefix="/changes", tags=["changes"])
