"""Load and check the analysis inputs; build per-participant exposures and covariates.

Every problem raises :class:`AnalysisInputError` naming the column, participant and row.
Row numbers: for a CSV file, the line number in the file (the header is line 1); otherwise
the 1-based data row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ._tables import read_table

DAY_REQUIRED = ("participant_id", "date", "walk_min", "mean_met", "valid_day")

_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE = {"false", "f", "no", "n", "0", "0.0"}
_CATEGORICAL = re.compile(r"^C\((?P<name>[^()]+)\)$")


class AnalysisInputError(ValueError):
    """An analysis input is unusable; the message names the column and row."""


def _show(value: object) -> str:
    """Show a cell value in a message (numpy scalars as plain numbers)."""
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, str):
        value = item()
    return repr(value)


@dataclass
class Table:
    """A loaded table with how to name its rows in messages."""

    df: pd.DataFrame
    label: str  # "days table 'days.csv'" etc.
    is_csv: bool

    def row(self, idx: int) -> str:
        """Name the row at positional index ``idx``."""
        return f"line {idx + 2}" if self.is_csv else f"row {idx + 1}"


@dataclass(frozen=True)
class Covariate:
    """One covariate as asked for: ``age`` (numeric) or ``C(sex)`` (categorical)."""

    name: str
    categorical: bool

    @classmethod
    def parse(cls, spec: str) -> Covariate:
        """Parse ``name`` or ``C(name)``."""
        spec = spec.strip()
        m = _CATEGORICAL.match(spec)
        if m:
            return cls(m.group("name").strip(), True)
        if not spec or "(" in spec or ")" in spec:
            raise AnalysisInputError(
                f"covariate {spec!r} is not understood; write a column name such as age, "
                "or C(sex) for a categorical one"
            )
        return cls(spec, False)


@dataclass
class Exposures:
    """Per-participant exposures and what was excluded on the way."""

    participants: pd.DataFrame  # participant_id, valid_days, walk_min_per_day, mean_walk_met
    excluded: dict[str, int] = field(default_factory=dict)
    all_ids: frozenset[str] = frozenset()  # every participant in the days table


def load(source: str | Path | pd.DataFrame, what: str) -> Table:
    """Load a table from a DataFrame or a Parquet/CSV path."""
    if isinstance(source, pd.DataFrame):
        label = what.replace(" file", "") + " (DataFrame)"
        return Table(source.reset_index(drop=True), label, False)
    path = Path(source)
    if not path.is_file():
        raise AnalysisInputError(f"{what} {path}: file not found")
    try:
        df = read_table(path)
    except ValueError as exc:
        raise AnalysisInputError(f"{what} {exc}") from None
    except Exception as exc:  # noqa: BLE001 - parser errors: name the file
        raise AnalysisInputError(f"{what} {path}: cannot read: {exc}") from None
    return Table(
        df.reset_index(drop=True), f"{what} {path.name}", path.suffix.lower() != ".parquet"
    )


def require_columns(table: Table, columns: tuple[str, ...] | list[str]) -> None:
    """Raise naming the columns ``table`` lacks."""
    missing = [c for c in columns if c not in table.df.columns]
    if missing:
        has = ", ".join(map(str, table.df.columns)) or "no columns"
        raise AnalysisInputError(
            f"{table.label} lacks column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(c) for c in missing)} (it has: {has})"
        )


def _ids(table: Table) -> pd.Series:
    ids = table.df["participant_id"]
    bad = ids.isna() | (ids.astype(str).str.strip() == "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise AnalysisInputError(f"{table.label}: participant_id is empty at {table.row(i)}")
    return ids.astype(str).str.strip()


def _bool_column(table: Table, column: str, ids: pd.Series) -> pd.Series:
    col = table.df[column]
    if pd.api.types.is_bool_dtype(col):
        return col.astype(bool)
    text = col.astype(str).str.strip().str.lower()
    ok = text.isin(_TRUE | _FALSE) & col.notna()
    if not ok.all():
        i = int(np.flatnonzero(~ok.to_numpy())[0])
        raise AnalysisInputError(
            f"{table.label}: column {column!r} must be true/false (or 1/0): participant_id "
            f"{ids.iloc[i]} at {table.row(i)} has {_show(col.iloc[i])}"
        )
    return text.isin(_TRUE)


def _numeric_column(table: Table, column: str, ids: pd.Series, *, allow_missing: bool) -> pd.Series:
    col = table.df[column]
    num = pd.to_numeric(col, errors="coerce").astype(float)
    bad = num.isna() & col.notna() & (col.astype(str).str.strip() != "")
    if not allow_missing:
        bad |= num.isna()
    bad |= np.isinf(num)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        value = col.iloc[i]
        what = "is missing" if pd.isna(value) else f"has {_show(value)}, not a number"
        raise AnalysisInputError(
            f"{table.label}: column {column!r} {what}: participant_id {ids.iloc[i]} at {table.row(i)}"
        )
    return num


def participant_exposures(days_source: str | Path | pd.DataFrame) -> Exposures:
    """Average valid days per participant: mean daily walk minutes and mean walking MET.

    Walking MET is the walk-minute-weighted mean of each valid day's ``mean_met`` (the mean
    MET over all valid-day walking minutes). Participants without a valid day are excluded
    (counted in ``excluded["no_valid_days"]``); those with valid days but no walking get an
    empty ``mean_walk_met`` and are left out of intensity analyses only.
    """
    table = load(days_source, "days table")
    require_columns(table, DAY_REQUIRED)
    if table.df.empty:
        raise AnalysisInputError(f"{table.label} has no rows")
    ids = _ids(table)
    valid = _bool_column(table, "valid_day", ids)
    walk = _numeric_column(table, "walk_min", ids, allow_missing=True)
    met = _numeric_column(table, "mean_met", ids, allow_missing=True)
    missing_walk = valid & walk.isna()
    if missing_walk.any():
        i = int(np.flatnonzero(missing_walk.to_numpy())[0])
        raise AnalysisInputError(
            f"{table.label}: column 'walk_min' is missing on a valid day: participant_id "
            f"{ids.iloc[i]} at {table.row(i)}"
        )
    negative = (walk < 0) | (met < 0)
    if negative.any():
        i = int(np.flatnonzero(negative.to_numpy())[0])
        col = "walk_min" if walk.iloc[i] < 0 else "mean_met"
        raise AnalysisInputError(
            f"{table.label}: column {col!r} is negative: participant_id {ids.iloc[i]} at {table.row(i)}"
        )
    frame = pd.DataFrame({"participant_id": ids, "valid": valid, "walk": walk, "met": met})
    all_ids = frame["participant_id"].unique()
    v = frame[frame["valid"]].copy()
    has_met = v["met"].notna() & (v["walk"] > 0)
    v["met_x_walk"] = np.where(has_met, v["met"] * v["walk"], 0.0)
    v["walk_with_met"] = np.where(has_met, v["walk"], 0.0)
    g = v.groupby("participant_id", sort=True)
    out = pd.DataFrame(
        {
            "valid_days": g.size(),
            "walk_min_per_day": g["walk"].mean(),
            "mean_walk_met": g["met_x_walk"].sum() / g["walk_with_met"].sum().replace(0.0, np.nan),
        }
    ).reset_index()
    n_without = len(all_ids) - len(out)
    if out.empty:
        raise AnalysisInputError(
            f"{table.label}: no participant has a valid day (column 'valid_day' is false on all "
            f"{len(frame)} rows of {len(all_ids)} participants); nothing to analyse"
        )
    return Exposures(out, {"no_valid_days": int(n_without)}, frozenset(map(str, all_ids)))


def load_outcomes(
    source: str | Path | pd.DataFrame, outcome: str, covariates: list[Covariate]
) -> tuple[pd.DataFrame, list[str]]:
    """Check the outcomes table; return (participant_id, outcome, covariate design) and names.

    Numeric covariates enter as they are; ``C(name)`` covariates are one-hot coded with the
    first level (sorted) as reference, columns named ``name[T.level]``.
    """
    table = load(source, "outcomes file")
    names = [c.name for c in covariates]
    if outcome in names:
        raise AnalysisInputError(f"the outcome {outcome!r} cannot also be a covariate")
    reserved = {"participant_id", "valid_days", "walk_min_per_day", "mean_walk_met", "_outcome"}
    clash = [n for n in names if n in reserved or n.endswith("_category")]
    if clash:
        raise AnalysisInputError(
            f"covariate {clash[0]!r} has the name of a column analyze computes; rename it"
        )
    dup_cov = {n for n in names if names.count(n) > 1}
    if dup_cov:
        raise AnalysisInputError(f"covariate {sorted(dup_cov)[0]!r} is listed twice")
    require_columns(table, ["participant_id", outcome, *names])
    if table.df.empty:
        raise AnalysisInputError(f"{table.label} has no rows")
    ids = _ids(table)
    dup = ids.duplicated(keep=False)
    if dup.any():
        first = ids[dup].iloc[0]
        rows = [table.row(int(i)) for i in np.flatnonzero((ids == first).to_numpy())]
        raise AnalysisInputError(
            f"{table.label}: participant_id {first} appears {len(rows)} times ({', '.join(rows)}); "
            "each participant must have one row"
        )

    y_raw = table.df[outcome]
    y = pd.to_numeric(y_raw, errors="coerce")
    bad = ~y.isin([0, 1])
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        value = "a missing value" if pd.isna(y_raw.iloc[i]) else _show(y_raw.iloc[i])
        raise AnalysisInputError(
            f"{table.label}: outcome {outcome!r} must be 0 or 1: participant_id {ids.iloc[i]} at "
            f"{table.row(i)} has {value}"
        )
    design = pd.DataFrame({"participant_id": ids, "_outcome": y.astype(float)})
    design_names: list[str] = []
    for cov in covariates:
        col = table.df[cov.name]
        if cov.categorical:
            miss = col.isna() | (col.astype(str).str.strip() == "")
            if miss.any():
                i = int(np.flatnonzero(miss.to_numpy())[0])
                raise AnalysisInputError(
                    f"{table.label}: covariate {cov.name!r} is missing: participant_id "
                    f"{ids.iloc[i]} at {table.row(i)}"
                )
            levels = sorted(col.astype(str).str.strip().unique())
            if len(levels) < 2:
                raise AnalysisInputError(
                    f"{table.label}: covariate C({cov.name}) has a single level {levels[0]!r}; "
                    "drop it"
                )
            text = col.astype(str).str.strip()
            for level in levels[1:]:
                name = f"{cov.name}[T.{level}]"
                design[name] = (text == level).astype(float)
                design_names.append(name)
            continue
        num = pd.to_numeric(col, errors="coerce")
        bad = num.isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            value = col.iloc[i]
            if pd.isna(value) or str(value).strip() == "":
                raise AnalysisInputError(
                    f"{table.label}: covariate {cov.name!r} is missing: participant_id "
                    f"{ids.iloc[i]} at {table.row(i)}"
                )
            raise AnalysisInputError(
                f"{table.label}: covariate {cov.name!r} is not numeric: participant_id "
                f"{ids.iloc[i]} at {table.row(i)} has {_show(value)}; write C({cov.name}) to treat "
                "it as categorical"
            )
        design[cov.name] = num.astype(float)
        design_names.append(cov.name)
    return design, design_names
