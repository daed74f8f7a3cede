"""Persistence: SQLAlchemy models, repositories that hand out domain records, migrations."""
