"""What can go wrong with the database itself."""

from __future__ import annotations

from retrieval.errors import AssistantError


class DatabaseUnavailable(AssistantError):
    """The database cannot be reached, or its schema is not the one this version needs."""

    status = 503
    exit_code = 5
    retry_after = 5  # a database server restarting
    # The message may name a host or a file: the client is told only that it will pass.
    public = "the database is not available right now; try again in a moment"
