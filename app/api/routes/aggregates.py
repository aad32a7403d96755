"""Aggregates over filtered events: facets, timeline, and an actor's co-occurrence network."""

from fastapi import APIRouter

router = APIRouter(tags=["aggregates"])
