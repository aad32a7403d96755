"""API tokens for the editing API: created once, stored hashed, checked in constant time."""
