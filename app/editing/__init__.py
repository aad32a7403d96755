"""Editing through the API: validation and writes, with no HTTP in them.

What wins between the API and `geoevents seed`: a record belongs to whoever made it
(`origin`). Records made by seeding belong to their coding files, so the API refuses to
change or delete them (edit the coding and re-seed); records made through the API are
never changed or pruned by a seed, and a seed refuses to take an id the API holds
(app/loader/write.py). Events and quotes made through the API live in sources made
through the API, so a re-seed can never move the text their spans index into.

Every edit runs in one write transaction that also takes the loader's lock, is validated
by the same rules as a seed (app/coding models, app/loader/plan.py, quote location), and
is recorded in the change feed with the name of the token that made it.
"""
