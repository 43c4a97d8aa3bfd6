"""An import job runs at a low CPU priority for its whole session, not only as a process.

Linux (with autogroups, the default of many distributions) shares the CPU between sessions
first; a process's nice value counts only inside its session. The job's child runs in a
session of its own, so ``nice 10`` alone left it an equal share with the web server.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from walkrx.web.walking.jobs import supervise

AUTOGROUP = Path("/proc/self/autogroup")


def _started_as_a_job(command: str) -> str:
    return subprocess.run(
        ["sh", "-c", command],
        preexec_fn=supervise._limit_child,  # noqa: PLW1509 - as the worker starts a job
        start_new_session=True,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_a_job_runs_niced() -> None:
    stat = _started_as_a_job("cat /proc/self/stat")
    nice = int(stat.rsplit(")", 1)[1].split()[16])  # field 19 of /proc/PID/stat
    assert nice >= os.nice(0) + supervise.NICE or nice == 19


@pytest.mark.skipif(not AUTOGROUP.exists(), reason="no Linux autogroups here")
def test_a_jobs_session_is_niced_too() -> None:
    group = _started_as_a_job("cat /proc/self/autogroup")
    if not group.strip():  # a cgroup schedules it, not an autogroup: nice alone applies
        pytest.skip("the job's session is not an autogroup on this kernel")
    assert group.split()[-1] == str(supervise.NICE), group  # old code: "nice 0"
    # The file is empty for a process outside any autogroup (e.g. a container's cgroup):
    # then the job's group, which the job was found in above, is its own by definition.
    ours = AUTOGROUP.read_text().split()
    assert not ours or ours[0] != group.split()[0], (ours, group)  # a session of its own
