"""The user's cache folder for gkassist's notes to itself (never the clerk's data).

Kept apart from its users (interview/scriptcache, tui/opening) so that reading the folder's
name imports nothing else: the app reads a note there before its first frame.
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE_DIR_ENV = "GKASSIST_CACHE_DIR"  # tests and portable installs point the cache elsewhere


def cache_dir() -> Path:
    """`GKASSIST_CACHE_DIR` when set, else `platformdirs.user_cache_dir("gkassist")`."""
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("gkassist", appauthor=False))
