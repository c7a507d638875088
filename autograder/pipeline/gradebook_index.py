"""Indexes on the gradebook's foreign keys, so that a class of thousands stays fast.

nbgrader's gradebook schema indexes its primary keys and unique constraints
only. Every score it computes (a notebook's, a submission's, a student's) is
a subquery that joins grades to their submitted notebook, their submission and
their student by columns without an index, so on SQLite each one scans the
whole ``grade`` table: ``nbgrader export`` of 10,000 students does 10,000 such
scans, and PostgreSQL joins the same unindexed columns. :func:`ensure_indexes`
adds one plain index per joining column (``CREATE INDEX IF NOT EXISTS``, so
running it again does nothing). nbgrader neither needs nor notices them: they
change no row and no query result, only how fast the rows are found.
"""

from __future__ import annotations

import sqlalchemy

#: (table, column) pairs that nbgrader's queries join or filter on.
INDEXED = (
    ("grade", "notebook_id"), ("grade", "cell_id"),
    ("comment", "notebook_id"), ("comment", "cell_id"),
    ("submitted_notebook", "assignment_id"), ("submitted_notebook", "notebook_id"),
    ("submitted_assignment", "student_id"), ("submitted_assignment", "assignment_id"),
    ("base_cell", "notebook_id"), ("source_cell", "notebook_id"),
    ("notebook", "assignment_id"),
)


def index_name(table: str, column: str) -> str:
    return f"ix_backprop_{table}_{column}"


def ensure_indexes(db_url: str) -> list[str]:
    """Add the missing indexes to the gradebook at ``db_url``; returns their names."""
    engine = sqlalchemy.create_engine(db_url, future=True)
    made = []
    try:
        existing = set(sqlalchemy.inspect(engine).get_table_names())
        with engine.begin() as db:
            for table, column in INDEXED:
                if table not in existing:
                    continue
                name = index_name(table, column)
                known = {ix["name"] for ix in sqlalchemy.inspect(db).get_indexes(table)}
                if name not in known:
                    db.execute(sqlalchemy.text(
                        f'CREATE INDEX IF NOT EXISTS {name} ON "{table}" ("{column}")'))
                    made.append(name)
    finally:
        engine.dispose()
    return made
