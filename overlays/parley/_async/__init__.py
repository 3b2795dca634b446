"""One half of the overlays: ``_async`` is written by hand, ``scripts/unasync`` makes ``_sync``."""
