"""calcdocs.differentiate (being written)."""

__all__: list[str] = []
