"""The database of staff accounts, their sign-ins and tokens, and candidates' ratings:
SQLAlchemy 2 models, the engine, and the Alembic migrations shipped with the package."""
