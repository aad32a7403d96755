"""geoevents: a REST API for geopolitical events traced to their source text."""

__version__ = "0.1.0"
