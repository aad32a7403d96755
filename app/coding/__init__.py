"""The coding format: what curators write beside a source document, and its validation."""
