"""The benchmark (README, "Performance"): `python bench/run.py --help`."""
