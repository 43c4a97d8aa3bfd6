"""Quality-control plot of one recording: steps per minute over time and wear per day."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def qc_plot(minutely: pd.DataFrame, daily: pd.DataFrame, path: Path, title: str = "") -> Path:
    """Write a PNG with steps per minute (top) and wear and walking minutes per day (bottom)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(11, 6), constrained_layout=True)
    if len(minutely):
        t = minutely["time"].dt.tz_localize(None)
        ax1.plot(t, minutely["steps"], lw=0.6, color="tab:blue", label="steps/min")
        nonwear = ~minutely["wear"].to_numpy()
        ax1.fill_between(
            t,
            0,
            nonwear * max(1, int(minutely["steps"].max())),
            step="post",
            color="tab:red",
            alpha=0.15,
            label="non-wear or no data",
        )
    ax1.set_ylabel("steps per minute")
    ax1.set_title(f"walkrx QC {title}".strip())
    ax1.legend(loc="upper right")
    if len(daily):
        x = [str(d) for d in daily["date"]]
        ax2.bar(
            x,
            daily["wear_min"] / 60.0,
            color=["tab:green" if v else "tab:gray" for v in daily["valid_day"]],
            label="wear h (green = valid day)",
        )
        ax2.plot(x, daily["walk_min"] / 60.0, "o-", color="tab:blue", label="walking h")
        ax2.tick_params(axis="x", rotation=45)
    ax2.set_ylabel("hours")
    ax2.legend(loc="upper right")
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path
