"""The warehouse's notion of now."""
from __future__ import annotations

from datetime import datetime, timezone


def utc_now() -> datetime:
    """Current UTC time as a naive timestamp (the warehouse stores UTC)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
