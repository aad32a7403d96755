"""The HTTP layer: thin routes over app.queries, errors as problem+json."""
