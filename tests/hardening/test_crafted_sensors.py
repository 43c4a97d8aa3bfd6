"""Issue 14, "What was found" §1-§3: crafted sensor files are refused or bounded, never a crash.

Each case failed on the code before the fix (see the issue note); each crafted file is made here,
in a temporary folder, from the shared fixtures or from scratch.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest

from walkrx.measure import measure_file
from walkrx.sensors import ReaderError, read_all
from walkrx.sensors import _cwa_format as fmt

NS = 1_000_000_000
DAY_NS = 86_400 * NS


def _reads_cleanly_or_refuses(path: Path) -> object:
    """The only outcomes allowed: samples, or a ReaderError naming the file."""
    try:
        return read_all(path)
    except ReaderError as exc:
        assert str(path) in str(exc)
        return exc


# --------------------------------------------------------------------------- §3 crashes


def test_gt3x_bytes_inserted_in_log_bin_is_a_reader_error(fixtures_dir: Path, tmp_path: Path):
    raw = bytearray((fixtures_dir / "actigraph" / "actigraph_testfile.gt3x").read_bytes())
    with zipfile.ZipFile(fixtures_dir / "actigraph" / "actigraph_testfile.gt3x") as z:
        info = z.getinfo("log.bin")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start + 1000 : start + 1000] = b"\x1e\x00inserted bytes"  # offsets after it shift
    p = tmp_path / "inserted.gt3x"
    p.write_bytes(bytes(raw))
    with pytest.raises(ReaderError) as exc:
        read_all(p)
    assert str(p) in str(exc.value)


# --------------------------------------------------------------------------- §1 far-future


def _far_cwa(fixtures_dir: Path, tmp_path: Path, years: int) -> tuple[Path, int]:
    raw = bytearray((fixtures_dir / "axivity" / "ax3_testfile.cwa").read_bytes())
    block = 40
    at = fmt.HEADER_SIZE + block * fmt.BLOCK_SIZE
    words = np.frombuffer(bytes(raw[at : at + fmt.BLOCK_SIZE]), "<u4")
    stamp = int(words[14 // 4]) if False else struct.unpack_from("<I", raw, at + 14)[0]
    year = ((stamp >> 26) & 0x3F) + years
    stamp = (stamp & ~(0x3F << 26)) | ((year & 0x3F) << 26)
    struct.pack_into("<I", raw, at + 14, stamp)
    # keep the block's checksum valid: the 16-bit words of a block sum to zero
    struct.pack_into("<H", raw, at + 510, 0)
    total = sum(struct.unpack_from("<255H", raw, at)) & 0xFFFF
    struct.pack_into("<H", raw, at + 510, (-total) & 0xFFFF)
    p = tmp_path / "far.cwa"
    p.write_bytes(bytes(raw))
    return p, block


def test_cwa_block_32_years_ahead_is_skipped_and_named(fixtures_dir: Path, tmp_path: Path, crafted):
    p, block = _far_cwa(fixtures_dir, tmp_path, 32)
    out, peak = crafted.peak_traced_mb(lambda: measure_file(p, "wrist", qc_plot=False))
    assert not isinstance(out, Exception), out
    assert peak < 300, f"{peak:.0f} MB traced"
    errors = out.info["read_errors"]["errors"]
    far = [e for e in errors if e["kind"] == "implausible-time"]
    assert [e["block_index"] for e in far] == [block]
    assert f"data block {block}" in far[0]["message"]
    assert len(out.daily) <= 2  # the file covers minutes, not 32 years
    assert len(out.minutely) < 24 * 60


def test_csv_row_31_years_later_is_skipped_and_named(fixtures_dir: Path, tmp_path: Path, crafted):
    src = fixtures_dir / "lowerback-walks" / "S02" / "Trial1" / "lowerback.csv"
    lines = src.read_text().splitlines()
    head = lines[0].split(",")
    t = head.index("time") if "time" in head else 0
    row = lines[300].split(",")
    row[t] = (
        str(float(row[t]) + 31.7 * 365.25 * 86400) if _numeric(row[t]) else "2055-09-01T12:00:00Z"
    )
    lines[300] = ",".join(row)
    p = tmp_path / "far.csv"
    p.write_text("\n".join(lines) + "\n")
    out, peak = crafted.peak_traced_mb(lambda: measure_file(p, "lower-back", qc_plot=False))
    assert not isinstance(out, Exception), out
    assert peak < 300, f"{peak:.0f} MB traced"
    far = [e for e in out.info["read_errors"]["errors"] if e["kind"] == "implausible-time"]
    assert len(far) == 1 and "line 301" in far[0]["message"]
    assert len(out.minutely) < 60


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_gt3x_record_10_years_ahead_is_skipped_and_named(tmp_path: Path, crafted):
    c = crafted
    log = b"".join(c.activity2_second(c.T0 + i) for i in range(120))
    log += c.activity2_second(c.T0 + 10 * 365 * 86400)
    log += b"".join(c.activity2_second(c.T0 + 120 + i) for i in range(60))
    p = c.write_gt3x(tmp_path / "far.gt3x", log)
    out, peak = c.peak_traced_mb(lambda: measure_file(p, "wrist", qc_plot=False))
    assert not isinstance(out, Exception), out
    assert peak < 300, f"{peak:.0f} MB traced"
    far = [e for e in out.info["read_errors"]["errors"] if e["kind"] == "implausible-time"]
    assert len(far) == 1 and "log.bin byte" in far[0]["message"]
    assert out.info["n_samples"] == 180 * 30
    assert len(out.minutely) <= 4


def test_gt3x_idle_sleep_of_30_days_is_not_invented(tmp_path: Path, crafted):
    c = crafted
    log = b"".join(c.activity2_second(c.T0 + i) for i in range(60))
    log += c.gt3x_record(0x03, c.T0 + 60, b"\x08")  # idle sleep starts
    log += c.gt3x_record(0x03, c.T0 + 30 * 86400, b"\x09")  # and ends 30 days later
    log += b"".join(c.activity2_second(c.T0 + 30 * 86400 + i) for i in range(60))
    p = c.write_gt3x(tmp_path / "sleep.gt3x", log)
    assert p.stat().st_size < 60_000
    out, peak = c.peak_traced_mb(lambda: measure_file(p, "wrist", qc_plot=False))
    assert not isinstance(out, Exception), out
    assert peak < 300, f"{peak:.0f} MB traced"
    assert out.info["n_samples"] == 120 * 30  # the 30 days are a reported gap, not samples
    kinds = [e["kind"] for e in out.info["read_errors"]["errors"]]
    assert kinds == ["idle-sleep"]
    assert int(out.daily["data_min"].sum()) <= 4  # no invented "measured" days
    assert len(out.daily) == 2


# --------------------------------------------------------------------------- §2 decompression


def test_gt3x_log_bin_of_2_gib_zeros_is_refused_at_once(tmp_path: Path, crafted):
    c = crafted
    p = c.zip_with_member(
        tmp_path / "zeros.gt3x",
        "log.bin",
        b"",
        b"\x00",
        2 * 1024**3,
        others={"info.txt": c.GT3X_INFO.encode()},
    )
    assert p.stat().st_size < 4_000_000
    out, peak = c.peak_traced_mb(lambda: read_all(p))
    assert isinstance(out, ReaderError), out
    assert "log.bin" in str(out) and "WALKRX_MAX_UNZIP_RATIO" in str(out)
    assert peak < 50


def test_gt3x_info_txt_of_512_mib_is_refused(tmp_path: Path, crafted):
    c = crafted
    p = c.zip_with_member(
        tmp_path / "info.gt3x",
        "info.txt",
        c.GT3X_INFO.encode(),
        b"Padding: x\n",
        512 * 1024**2,
        others={"log.bin": c.activity2_second(c.T0)},
    )
    out, peak = c.peak_traced_mb(lambda: read_all(p))
    assert isinstance(out, ReaderError), out
    assert "info.txt" in str(out)
    assert peak < 50
