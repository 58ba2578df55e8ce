"""The few exceptions whose messages are shown to users."""


class PolicyQAError(Exception):
    """Base class: the message is meant for the person at the keyboard."""


class ConfigError(PolicyQAError):
    """A setting names something that is not there (a model, a URL, a file)."""


class RejectedFile(PolicyQAError):
    """A file was refused at ingest; the message names the file and the reason."""

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self):  # pickled in an ingest report from a child process (service_ingest.py)
        return RejectedFile, (self.path, self.reason)


class BadQuestion(PolicyQAError):
    """An empty or over-long question."""


class IndexMismatch(PolicyQAError):
    """The vector index was built with a different embedding model."""


class KnowledgeBaseBusy(PolicyQAError):
    """Another process is writing the same data home (one writer at a time)."""
