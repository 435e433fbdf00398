"""The one Jinja environment factory: the question script, the paragraph library and the renderer
all build their environment here, so an undefined name is an error everywhere."""

from __future__ import annotations

from typing import Any, TypeVar

from jinja2 import Environment, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

E = TypeVar("E", bound=Environment)


def make_environment(cls: type[E] = SandboxedEnvironment, **options: Any) -> E:  # type: ignore[assignment]
    """An environment of `cls` (sandboxed unless the caller trusts its templates): undefined
    names raise, plain text is not escaped, and `options` override either."""
    settings: dict[str, Any] = {"undefined": StrictUndefined, "autoescape": False}
    settings.update(options)
    return cls(**settings)
