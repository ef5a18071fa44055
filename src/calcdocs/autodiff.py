"""calcdocs.autodiff (being written)."""

__all__: list[str] = []
