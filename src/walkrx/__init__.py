"""walkrx: an evidence-cited walking program for people with low back pain."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("walkrx")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
