"""Guessing an agency's level from its full name: the one guess of the product, in gkassist.agency."""

from __future__ import annotations

from gkassist.agency import guess_kind

__all__ = ["guess_kind"]
