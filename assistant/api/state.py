"""What the app holds between requests: the Services, and what failed to load at startup."""

from __future__ import annotations

import copy
import json
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import anyio
import anyio.to_thread

from assistant.api.log import LOGGER
from assistant.memory import release_freed_memory
from assistant.runtime import Services
from retrieval.errors import AssistantError, IndexNotBuilt, StoreUnavailable
from retrieval.store import check_collection

if TYPE_CHECKING:
    from assistant.answering.answerer import Answerer
    from assistant.precheck import RuleSet

# Loaded at startup, in this order, so the first question does not pay for the model and index.
# The model is named on its own: the index and the sentence vectors may all come from disk, and
# then nothing else would load it before the first question (seconds of import and load, during
# which a uvicorn worker may also miss its supervisor's health check and be killed).
COMPONENTS = ("model", "retriever", "answerer", "rules")

# Startup failures that can pass without a restart: a Chroma server that is not up yet (or is
# restarting), an index that is being built. Others (a bad corpus, no model) need an operator.
RECOVERABLE = (StoreUnavailable, IndexNotBuilt)


@dataclass
class Runtime:
    services: Services
    loaded: bool = False
    errors: dict[str, AssistantError] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def load(self) -> None:
        """Build each component once; a domain error is kept (and served as 503), not raised.

        The pre-check needs only the corpus, so it keeps working when the index is missing.
        """
        for name in COMPONENTS:
            try:
                self._build(name)
            except AssistantError as error:
                self.errors[name] = error
                # Said once at start, where the operator looks: what failed and what to run.
                LOGGER.error(
                    json.dumps(
                        {
                            "event": "startup",
                            "component": name,
                            "error": type(error).__name__,
                            "message": str(error),
                        }
                    )
                )
        self.loaded = True
        release_freed_memory()

    def warm_languages(self) -> None:
        """Loads the language detector beside serving (10 ms from the copy `assistant index`
        keeps, 1.5 s without it): English answers and readiness do not wait. The multilingual
        model loads with the first question in another language (16 ms: its weights are
        mapped, not read), so a process that only ever reads English does not hold it (21 MB)."""
        from assistant.answering import language

        try:
            if self.services.multilingual is None:
                return  # questions are read as English: the detector would load for nothing
            language.warm()
            release_freed_memory()
        except AssistantError as error:  # said once; each question in another language retries
            LOGGER.error(
                json.dumps(
                    {
                        "event": "startup",
                        "component": "languages",
                        "error": type(error).__name__,
                        "message": str(error),
                    }
                )
            )

    def open_database(self) -> None:
        """Opens the database at start (a SQLite file is migrated then). A failure is logged
        and not kept: each request that needs the database tries again, and says 503 meanwhile
        (a PostgreSQL server starting later than the API)."""
        from assistant.db import migrate

        try:
            database = self.services.database
            if not database.is_sqlite and migrate.current(database) != migrate.head():
                # Served anyway (the candidates' answers need no database), said where the
                # operator looks: staff sign-in and ratings fail until the migration runs.
                LOGGER.error(
                    json.dumps(
                        {
                            "event": "startup",
                            "component": "database",
                            "error": "SchemaNotCurrent",
                            "message": "the database's schema is not this version's; run "
                            "`assistant db upgrade`",
                        }
                    )
                )
        except AssistantError as error:
            LOGGER.error(
                json.dumps(
                    {
                        "event": "startup",
                        "component": "database",
                        "error": type(error).__name__,
                        "message": str(error),
                    }
                )
            )

    def _build(self, name: str) -> None:
        if name == "model":
            self.services.query_embeddings.warm()
        else:
            getattr(self.services, name)

    @property
    def recoverable(self) -> bool:
        return any(isinstance(e, RECOVERABLE) for e in self.errors.values())

    def retry(self) -> None:
        """Loads again the components whose startup failure may have passed."""
        with self._lock:
            for name in COMPONENTS:
                if not isinstance(self.errors.get(name), RECOVERABLE):
                    continue
                try:
                    self._build(name)
                except AssistantError as error:
                    self.errors[name] = error
                else:
                    del self.errors[name]
                    LOGGER.info(json.dumps({"event": "recovered", "component": name}))

    async def recover(self) -> None:
        """Runs beside the app: retries, every ``store_retry_seconds``, what may recover.

        So an API that started before its Chroma server, or before the index was built, starts
        answering when they are there, without a restart; and in the background, so that no
        request waits for the model or the index to load.
        """
        while True:
            await anyio.sleep(self.services.settings.store_retry_seconds)
            if self.recoverable:
                # Abandoned on shutdown: the server need not wait for a load to finish.
                await anyio.to_thread.run_sync(self.retry, abandon_on_cancel=True)

    def require(self, *names: str) -> None:
        """Raise the startup error of the first of ``names`` that failed to load."""
        for name in names:
            # Read once: the retry thread may remove the entry between a check and a read.
            error = self.errors.get(name)
            if error is not None:
                # A copy: raising the stored instance would grow its traceback on every request.
                raise copy.copy(error)

    # Called by the routes after the request is validated, so that bad input is still a 422
    # (FastAPI would run a dependency raising 503 before it reports the body's errors).
    def answerer(self) -> Answerer:
        self.require("model", "retriever", "answerer")
        return self.services.answerer

    def rules(self) -> RuleSet:
        self.require("rules")
        return self.services.rules

    @property
    def problem(self) -> AssistantError | None:
        return next(iter(self.errors.values()), None)

    def readiness(self) -> tuple[str, AssistantError] | None:
        """The first component that cannot serve, with why; None when all can.

        Blocking (it asks the vector store): call it from a worker thread.
        """
        for name, error in list(self.errors.items()):  # a snapshot: the retry thread edits it
            return name, error
        try:
            stored = check_collection(self.services.client, self.services.settings.collection)
            loaded = len(self.services.retriever.passages)
            if stored != loaded:
                raise IndexNotBuilt(
                    f"the vector store holds {stored} passages but this process loaded {loaded}; "
                    "run `assistant index`, then restart the API"
                )
        except AssistantError as error:
            return "vector_store", error
        return None
