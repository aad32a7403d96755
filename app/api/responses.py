"""JSON responses encoded once with orjson: dicts from the data layer go straight out."""

from typing import Any

import orjson
from starlette.responses import JSONResponse as _StarletteJSONResponse


class JSONResponse(_StarletteJSONResponse):
    # A JSONResponse subclass, so FastAPI documents each route's response_model in OpenAPI.
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class ProblemResponse(JSONResponse):
    media_type = "application/problem+json"
