"""Alembic environment: migrations run on the connection the app hands over, in batch mode."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.types import TypeDecorator

from logbook.storage.models import Base
from logbook.storage.sqlite import is_search_table

config = context.config
target_metadata = Base.metadata
IGNORED_TABLES = {"alembic_version"}


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    return not (type_ == "table" and is_search_table(name))


def render_item(type_, obj, autogen_context):  # type: ignore[no-untyped-def]
    # Migrations name plain column types, so they never depend on today's application code.
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        url = config.get_main_option("sqlalchemy.url") or "sqlite://"
        with create_engine(url).connect() as fresh:
            _run(fresh)
    else:
        _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
