"""Importers for real event data (GDELT, UCDP GED) and a synthetic generator, all writing
through one bulk writer (app.importers.bulk) in large batches, idempotently.

    gdelt_read -> gdelt (+ gdelt_codes, gdelt_actors, gdelt_geo) --\
    ucdp (+ ucdp_text) ------------------------------------------------> Batch -> bulk -> database
    generate (+ generate_world) -------------------------------------/

run.py drives file imports (one transaction per file, --on-error, the report); lookups.py
reads the bundled tables in data/ (see data/README.md for their origins and licences).
"""
