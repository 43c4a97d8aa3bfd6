"""The worker's task: run one upload's import in a child process, within limits.

``run_upload`` is a django-tasks task (database backend; ``db_worker`` runs it). It
starts a child process (``walkrx.web.walking.jobs.child.main``) in a new process group with

* a memory limit: ``RLIMIT_AS`` = ``WALKRX_JOB_MEMORY_MB`` (address space of each
  process of the job, the parser child included);
* a time limit: ``WALKRX_JOB_TIMEOUT_S`` of wall time, then the group is killed
  (``RLIMIT_CPU`` backs it up);
* a low CPU priority (``nice 10``, for its session too: Linux shares the CPU between
  sessions first), so the web pages stay quick while it runs (the import itself holds
  the database only for one short transaction, so pages that write do not wait for it);
* death with its parent (``PR_SET_PDEATHSIG``): a killed worker leaves no import running;

polls the job's row for cancellation and renews its heartbeat, and when the child
ends, for whatever reason, kills what is left of the group and removes the job's
folder (the upload and the child's ``TMPDIR``). A job that died gets a sentence the
walker can read; jobs whose worker vanished (no heartbeat for ``WALKRX_JOB_STALE_S``) are failed by
``sweep_stale``.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django_tasks import task

from ..models import UploadJob
from . import clean_job, job_dir

log = logging.getLogger("walkrx.jobs")

CHILD_CODE = (
    "import sys, django; django.setup(); "
    "from walkrx.web.walking.jobs.child import main; sys.exit(main())"
)
POLL_S = 0.5
NICE = 10  # the job's CPU priority (and its session's: see _nice_autogroup)
_PR_SET_PDEATHSIG = 1


def _nice_autogroup() -> None:
    """Lower the CPU weight of the job's session as a whole (Linux autogroups).

    With autogroups on (``/proc/sys/kernel/sched_autogroup_enabled``, the default of many
    distributions), the scheduler shares the CPU between sessions first and applies a
    process's nice value only inside its own session. The job runs in a session of its own
    (``start_new_session``), so ``nice`` alone would leave it an equal share with the web
    server: a 1 GB import then slowed every page. The session's own nice value fixes that.
    """
    # no autogroups (or not Linux): nice alone applies
    with contextlib.suppress(OSError), open("/proc/self/autogroup", "w") as fh:
        fh.write(str(NICE))


def _limit_child() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Between fork and exec: memory and CPU limits, low priority, die with the parent."""
    mem = int(settings.WALKRX_JOB_MEMORY_MB) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    cpu = int(settings.WALKRX_JOB_TIMEOUT_S) + 30
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.nice(NICE)
    _nice_autogroup()
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the time limit ends it
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _child_env(tmp: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "TMPDIR": tmp,
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "WALKRX_DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "walkrx.web.settings"
            ),
        }
    )
    return env


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _end(proc: subprocess.Popen[bytes], job: UploadJob) -> None:
    """Kill what is left of the job's process group, then remove its files.

    Runs before the outcome is written, so a walker who sees the outcome sees no files.
    """
    _kill_group(proc)
    clean_job(job)


def _finish(job_id: str, **fields: Any) -> None:
    """Set the outcome unless the child already recorded one."""
    close_old_connections()
    UploadJob.objects.filter(pk=job_id, state="running").update(
        percent=100, finished=timezone.now(), **fields
    )


def _died_message(job: UploadJob) -> str:
    """The child ended without recording an outcome: out of memory, killed, or crashed."""
    mb = settings.WALKRX_JOB_MEMORY_MB
    return (
        f"{job.file_name}: the import stopped before it finished: the file needed more memory "
        f"than one import may use here ({mb} MB), or it is damaged. Nothing from it was stored."
    )


def sweep_stale() -> int:
    """Fail running jobs whose worker stopped beating (a killed or restarted worker).

    The job's task row is marked failed too, so the task table shows no ghost runs.
    """
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(seconds=settings.WALKRX_JOB_STALE_S)
    stale = list(UploadJob.objects.filter(state="running", heartbeat__lt=cutoff))
    for job in stale:
        shutil.rmtree(job_dir(job), ignore_errors=True)
        if job.task_id:
            DBTaskResult.objects.filter(id=job.task_id, status="RUNNING").update(
                status="FAILED", finished_at=timezone.now()
            )
        UploadJob.objects.filter(pk=job.pk, state="running").update(
            state="failed",
            percent=100,
            finished=timezone.now(),
            message=f"{job.file_name}: the import was interrupted (the server restarted). "
            "Nothing from it was stored; please upload the file again.",
        )
    return len(stale)


@task(queue_name="uploads")
def run_upload(job_id: str) -> str:
    """Import one upload in a limited child process; return the job's final state."""
    sweep_stale()
    claimed = UploadJob.objects.filter(pk=job_id, state="queued").update(
        state="running", started=timezone.now(), heartbeat=timezone.now()
    )
    job = UploadJob.objects.filter(pk=job_id).first()
    if job is None:
        return "gone"  # the walker was erased meanwhile
    if not claimed:
        shutil.rmtree(job_dir(job), ignore_errors=True)
        return job.state  # cancelled before it started
    folder = job_dir(job)
    tmp = folder / "tmp"
    tmp.mkdir(parents=True, exist_ok=True, mode=0o700)
    timeout = float(settings.WALKRX_JOB_TIMEOUT_S)
    began = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD_CODE, job_id],
        env=_child_env(str(tmp)),
        preexec_fn=_limit_child,  # noqa: PLW1509 - no threads in the worker
        start_new_session=True,
        stdin=subprocess.DEVNULL,
    )
    try:
        while proc.poll() is None:
            time.sleep(POLL_S)
            row = UploadJob.objects.filter(pk=job_id).values("cancel_requested").first()
            if row is None or row["cancel_requested"]:
                _end(proc, job)
                _finish(job_id, state="cancelled", message="Cancelled: nothing was imported.")
                break
            if time.monotonic() - began > timeout:
                _end(proc, job)
                allowed = f"{round(timeout / 60)} minutes" if timeout >= 120 else f"{timeout:g} s"
                _finish(
                    job_id,
                    state="failed",
                    message=f"{job.file_name}: the import took longer than the {allowed} "
                    "allowed and was stopped. Nothing from it was stored.",
                )
                break
            UploadJob.objects.filter(pk=job_id).update(heartbeat=timezone.now())
        else:
            if proc.returncode != 0:
                log.warning("job %s: child ended with code %s", job_id, proc.returncode)
            _end(proc, job)
            _finish(job_id, state="failed", message=_died_message(job))
    finally:
        _end(proc, job)  # the child's own children (a forked parser) go with it
    final = UploadJob.objects.filter(pk=job_id).values_list("state", flat=True).first()
    return str(final or "gone")
