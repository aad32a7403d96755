"""The data layer: SQLAlchemy Core queries that turn rows into plain JSON-ready dicts.

Every list is served with a fixed number of statements whatever the page size: one for
the page, then one per embedded collection for all the page's ids at once.
"""
