"""Query plans of the review app's list queries: EXPLAIN on SQLite and PostgreSQL, and what they read."""

from __future__ import annotations

import re
from typing import List, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine


def compiled(query: sa.sql.Select, engine: Engine) -> str:
    """SQL with the values inlined (only for EXPLAIN; the app always binds parameters)."""
    return str(query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))


def explain(connection: Connection, sql: str) -> List[str]:
    """The plan's lines: SQLite ``EXPLAIN QUERY PLAN`` or PostgreSQL ``EXPLAIN``."""
    if connection.dialect.name == "sqlite":
        return [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
    return [row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}")]


def indices_used(plan: Sequence[str]) -> List[str]:
    """Names of the indices a plan reads (``ix_…``), in order of appearance."""
    found: List[str] = []
    for line in plan:
        for name in re.findall(r"\b(ix_review_[a-z_]+)", line):
            if name not in found:
                found.append(name)
    return found


def full_scans(plan: Sequence[str]) -> List[str]:
    """Plan lines that read a whole table without an index."""
    return [line.strip() for line in plan if re.search(r"^\s*(->\s*)?(Parallel )?Seq Scan|^SCAN review_\w+$", line)]
