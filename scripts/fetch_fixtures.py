#!/usr/bin/env python
"""Download the test recordings from their upstream sources and verify each by SHA-256.

Test tooling only (walkrx never downloads anything when it runs). Reads the registry
(``tests/fixtures-registry.json``), and for every file:

- a plain download is fetched with pooch from ``{base}/{repository}/{commit}/{path}`` with the
  registry's SHA-256 as the known hash: pooch refuses (and deletes) a download with another hash;
- a converted file is rebuilt: its upstream input(s) are fetched with pooch (checked against a
  published hash where one exists), a converter of ``scripts/fixture_convert.py`` or
  ``scripts/fixture_references.py`` writes the file, and the result must have the registry's
  SHA-256, else it is refused and not kept;
- a file already in the folder with the right hash is kept as it is.

Files whose conversion is not scripted are listed at the end with the reason. Exit status 0 when
every file of the registry is in place and verified, 1 otherwise.

Usage: .venv/bin/python scripts/fetch_fixtures.py [--dest FOLDER] [--base-url URL] [--registry F]
  --dest      default: WALKRX_FIXTURES_CACHE, else ~/.cache/walkrx-fixtures
  --base-url  default: WALKRX_FIXTURES_BASE_URL, else https://raw.githubusercontent.com
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import fixture_convert
import fixture_references
import fixture_registry
import pooch
import requests  # pooch's own HTTP client

DEFAULT_BASE_URL = "https://raw.githubusercontent.com"
CONVERTERS = {**fixture_convert.CONVERTERS, **fixture_references.CONVERTERS}
TIMEOUT_S = 60


@dataclass
class Report:
    """What happened to each file of the registry."""

    kept: list[str] = field(default_factory=list)
    downloaded: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    not_rebuilt: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.refused or self.failed or self.not_rebuilt)


def upstream_url(base_url: str, repository: str, commit: str, path: str) -> str:
    """Where one upstream file is downloaded from."""
    return f"{base_url.rstrip('/')}/{repository}/{commit}/{quote(path)}"


class HostUnreachable(OSError):
    """An earlier download from the same host could not connect: not tried again."""


def _retrieve(url: str, known_hash: str | None, target: Path, unreachable: set[str]) -> None:
    host = urlsplit(url).netloc
    if host in unreachable:
        raise HostUnreachable(f"not tried: {host} could not be reached for an earlier file")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        pooch.retrieve(
            url,
            known_hash=known_hash,
            fname=target.name,
            path=target.parent,
            downloader=pooch.HTTPDownloader(progressbar=False, timeout=TIMEOUT_S),
        )
    except (requests.ConnectionError, requests.Timeout):
        unreachable.add(host)
        raise


def fetch(dest: Path, base_url: str, registry: dict[str, Any]) -> Report:
    """Fill ``dest`` with every file of ``registry``; return what happened to each."""
    pooch.get_logger().setLevel(logging.WARNING)  # one summary instead of a line per file
    report = Report()
    unreachable: set[str] = set()
    upstreams = registry["upstreams"]
    for f in registry["files"]:
        rel, want = f["path"], f["sha256"]
        target = dest / rel
        if target.is_file() and fixture_registry.sha256_of(target) == want:
            report.kept.append(rel)
            continue
        repo = upstreams[f["upstream"]]["repository"]
        src = f["source"]
        if src["kind"] == "download":
            url = upstream_url(base_url, repo, src["commit"], src["path"])
            try:
                _retrieve(url, f"sha256:{want}", target, unreachable)
            except ValueError as exc:
                report.refused.append(f"{rel}: {url}: {_first_line(exc)}")
            except Exception as exc:  # network, HTTP status, disk
                report.failed.append(f"{rel}: {url}: {_first_line(exc)}")
            else:
                report.downloaded.append(rel)
            continue
        converter = src.get("converter")
        if converter is None:
            report.not_rebuilt.append(f"{rel}: {src.get('not_rebuilt_because', 'no converter')}")
            continue
        _rebuild(dest, base_url, repo, src, rel, want, converter, report, unreachable)
    return report


def _rebuild(
    dest: Path,
    base_url: str,
    repo: str,
    src: dict[str, Any],
    rel: str,
    want: str,
    converter: str,
    report: Report,
    unreachable: set[str],
) -> None:
    inputs = []
    for path in src["inputs"]:
        url = upstream_url(base_url, repo, src["commit"], path)
        local = dest / ".upstream" / repo / src["commit"] / path
        known = src.get("input_sha256", {}).get(path)
        try:
            _retrieve(url, f"sha256:{known}" if known else None, local, unreachable)
        except ValueError as exc:  # pooch: the upstream file's hash is not the published one
            report.refused.append(f"{rel}: upstream input {url}: {_first_line(exc)}")
            return
        except Exception as exc:
            report.failed.append(f"{rel}: upstream input {url}: {_first_line(exc)}")
            return
        inputs.append(local)
    target = dest / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".rebuild-")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        origin = fixture_convert.Origin(repo, src["commit"], tuple(src["inputs"]), rel)
        CONVERTERS[converter](inputs, tmp, origin)
        got = fixture_registry.sha256_of(tmp)
        if got != want:
            report.refused.append(
                f"{rel}: rebuilt with {converter} from {', '.join(src['inputs'])}, but its "
                f"SHA-256 is {got}, not {want}: not kept"
            )
            return
        tmp.replace(target)
        report.rebuilt.append(rel)
    except Exception as exc:
        report.failed.append(f"{rel}: {converter}: {_first_line(exc)}")
    finally:
        tmp.unlink(missing_ok=True)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def print_report(report: Report, dest: Path, out: Any = sys.stderr) -> None:
    """A summary of the run, then every file that is not in place, with the reason."""
    print(
        f"fixtures in {dest}: {len(report.kept)} already verified, {len(report.downloaded)} "
        f"downloaded, {len(report.rebuilt)} rebuilt; {len(report.refused)} refused (wrong "
        f"SHA-256), {len(report.failed)} failed, {len(report.not_rebuilt)} not rebuildable",
        file=out,
    )
    for title, lines in (
        ("refused", report.refused),
        ("failed", report.failed),
        ("not rebuildable by this script", report.not_rebuilt),
    ):
        if lines:
            print(f"{title}:", file=out)
            for line in lines:
                print(f"  {line}", file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--dest", type=Path, default=None)
    ap.add_argument(
        "--base-url", default=os.environ.get("WALKRX_FIXTURES_BASE_URL", DEFAULT_BASE_URL)
    )
    ap.add_argument("--registry", type=Path, default=fixture_registry.REGISTRY)
    args = ap.parse_args(argv)
    dest = (args.dest or fixture_registry.cache_folder()).expanduser()
    dest.mkdir(parents=True, exist_ok=True)
    print(f"fetching the test recordings into {dest} from {args.base_url}", file=sys.stderr)
    report = fetch(dest, args.base_url, fixture_registry.load(args.registry))
    print_report(report, dest)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
