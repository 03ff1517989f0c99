"""Domain errors. Each edge (CLI, HTTP API) maps them to exit codes or status codes in one place."""


class AssistantError(Exception):
    """Base class: the message is written for the user and says what to do."""


class CorpusError(AssistantError):
    """The corpus directory, a document or the manifest is missing, unreadable or inconsistent."""


class InvalidQuery(AssistantError):
    """A query that cannot be searched (empty, too long)."""


class IndexNotBuilt(AssistantError):
    """The index does not exist, is incomplete or does not match the corpus or the model."""


class StoreUnavailable(AssistantError):
    """The vector store cannot be reached (a Chroma server down, a corrupted local store)."""


class ModelUnavailable(AssistantError):
    """The embedding model cannot be found or loaded."""
