"""Where each actor and region is named in the sources."""

from fastapi import APIRouter

router = APIRouter(tags=["provenance"])
