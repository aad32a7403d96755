"""Moving whole databases: online SQLite backups, JSON Lines export and import."""
