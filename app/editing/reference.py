"""Checks an actor or region must pass against every other one stored, as the reference
file's entries are checked against each other by app/loader/plan.py: aliases that
collide, links to unknown records, cycles."""

from sqlalchemy import Connection, Table, select

from app import tables


def alias_problems(connection: Connection, kind: str, record_id: str, aliases: list[str]) -> list[tuple[str, str]]:
    """An alias listed twice, or one another record of the same kind already uses (ignoring case)."""
    errors = []
    if len({alias.casefold() for alias in aliases}) != len(aliases):
        errors.append(("body.aliases", "lists an alias twice"))
    aliases_table: Table = tables.metadata.tables[f"{kind}_alias"]
    owner = aliases_table.c[f"{kind}_id"]
    # casefold in Python: SQLite's lower() folds ASCII only.
    others: dict[str, str] = {}
    for other_id, alias in connection.execute(select(owner, aliases_table.c.alias).where(owner != record_id)):
        others.setdefault(alias.casefold(), other_id)
    for alias in dict.fromkeys(aliases):
        if alias.casefold() in others:
            errors.append(("body.aliases", f"alias {alias!r} is also an alias of {others[alias.casefold()]!r}"))
    return errors


def link_problems(
    connection: Connection, kind: str, record_id: str, field: str, target: str | None
) -> list[tuple[str, str]]:
    """A link (affiliation, parent) to a record that does not exist, or one that closes a cycle."""
    if target is None:
        return []
    table: Table = tables.metadata.tables[kind]
    column = table.c["affiliation_id" if kind == "actor" else "parent_id"]
    links = {record_id: link for record_id, link in connection.execute(select(table.c.id, column))}
    if target not in links and target != record_id:
        return [(f"body.{field}", f"unknown {kind} {target!r}")]
    links[record_id] = target
    path, node = [record_id], target
    while node is not None and node not in path:
        path.append(node)
        node = links.get(node)
    if node == record_id:
        return [(f"body.{field}", "forms a cycle: " + " -> ".join([*path, record_id]))]
    return []
