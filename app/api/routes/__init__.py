"""One router per resource the API serves."""
