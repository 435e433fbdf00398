"""The one exception the product shows to a clerk: a Chinese sentence, never a traceback."""


class GkError(Exception):
    """Something the clerk must fix; `str(error)` is a complete Chinese sentence."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return self.message
