"""`python -m app` runs the same CLI as the `geoevents` console script."""

from app.cli import main

main()
