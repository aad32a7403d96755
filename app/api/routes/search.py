"""/api/v1/search: one search box over events, actors, regions and quotes."""

from fastapi import APIRouter

router = APIRouter(prefix="/search", tags=["search"])
