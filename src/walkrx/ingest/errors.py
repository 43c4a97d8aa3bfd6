"""The error types of every reader and importer: a sentence naming the file, the place and the problem."""

from __future__ import annotations

from pathlib import Path


class FileReadError(Exception):
    """A file cannot be read at all. The message names the file, the place and the problem."""

    def __init__(self, path: str | Path | object, problem: str, where: str | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.where = where
        super().__init__(f"{self.path}{self._place(where)}: {problem}")

    @staticmethod
    def _place(where: str | None) -> str:
        return f" at {where}" if where else ""


class ReaderError(FileReadError):
    """A raw accelerometer file (:mod:`walkrx.sensors`) cannot be read."""


class ImportFileError(FileReadError):
    """A phone or watch export (:mod:`walkrx.importers`) cannot be imported."""

    @staticmethod
    def _place(where: str | None) -> str:
        return f" ({where})" if where else ""
