"""The user's cache folder for gkassist's notes to itself: disposable, derived from what the
workspace holds (a note may repeat a report's conversation, never as its only copy).

Kept apart from its users (interview/scriptcache, tui/opening) so that reading the folder's
name imports nothing else: the app reads a note there before its first frame.
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE_DIR_ENV = "GKASSIST_CACHE_DIR"  # tests and portable installs point the cache elsewhere


def user_folder(env_var: str, kind: str) -> Path:
    """The folder named by the environment variable `env_var` when set, else the user's
    platformdirs folder of `kind` ("cache", "log") for gkassist."""
    env = os.environ.get(env_var)
    if env:
        return Path(env)
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")("gkassist", appauthor=False))


def cache_dir() -> Path:
    """`GKASSIST_CACHE_DIR` when set, else `platformdirs.user_cache_dir("gkassist")`."""
    return user_folder(CACHE_DIR_ENV, "cache")
