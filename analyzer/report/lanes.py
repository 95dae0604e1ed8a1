"""Run the report's jobs (draw a figure, write a file) in this process and, when asked, a forked second one.

The jobs form a list. This process takes them from the front, the second process from the back, each
taking the next job that is ready, so the two meet wherever their work balances: the figures sit at
the front (this process draws them, and needs them for the HTML), the large file writers at the back
(XLSX, graph files, report.json), and jobs that need every figure (HTML, Markdown, PNG files) are
ready only once the figures are drawn, by whichever process drew them. A job gets the figures when it
needs them and returns its result (figures, or the paths it wrote); the second process sends its
results back. Every job is deterministic, so who runs what never changes a byte of the output.

The second process is forked (it inherits the analysis: nothing is pickled but the jobs' results and
the figures a job needs); it is fed one job at a time from a callback, so it never waits for this
process to finish a job. An error in it is raised here once this process has run what it can. Freeze
the garbage collector's objects before (:func:`analyzer.collector.frozen_heap`): the child's collections then leave the
inherited objects alone instead of writing to, and so copying, every page that holds one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Job:
    """One step of writing the reports.

    ``run(say, figures)`` does it; ``figures`` is every figure, in report order, for a job that
    ``needs_figures`` (else empty). A job that ``draws`` returns figures; the others return anything.
    """

    run: Callable[[Progress, list], Any]
    draws: bool = False
    needs_figures: bool = False


@dataclass
class _State:
    jobs: list[Job]
    claimed: set[int] = field(default_factory=set)
    results: dict[int, Any] = field(default_factory=dict)
    side_job: int | None = None  # the job the second process is running
    error: BaseException | None = None
    closing: bool = False


_side_jobs: list[Job] | None = None  # what the forked process runs (inherited at the fork)


def run_jobs(jobs: list[Job], processes: int, say: Progress) -> list[Any]:
    """Run ``jobs`` (in one or two processes) and return their results in job order."""
    global _side_jobs
    state = _State(jobs)
    lock = threading.Condition(threading.RLock())  # re-entrant: a finished future's callback may run at once
    executor = None
    if processes > 1 and len(jobs) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _side_jobs = jobs
        executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))

    def figures() -> list:
        return [figure for index, job in enumerate(jobs) if job.draws for figure in state.results[index]]

    def ready(index: int) -> bool:
        if index in state.claimed:
            return False
        return not jobs[index].needs_figures or all(i in state.results for i, job in enumerate(jobs) if job.draws)

    def claim(order: range) -> int | None:
        index = next((i for i in order if ready(i)), None)
        if index is not None:
            state.claimed.add(index)
        return index

    def feed_side() -> None:
        """Give the second process the next ready job from the back, if it is idle (lock held)."""
        if executor is None or state.side_job is not None or state.closing or state.error is not None:
            return
        index = claim(range(len(jobs) - 1, -1, -1))
        if index is None:
            return
        state.side_job = index
        given = figures() if jobs[index].needs_figures else []
        future = executor.submit(_run_in_side, index, given)  # the first submit forks the second process
        future.add_done_callback(side_done)

    def side_done(future: Future) -> None:
        with lock:
            index, state.side_job = state.side_job, None
            if future.cancelled():
                state.error = state.error or RuntimeError("the second report process was stopped")
            elif future.exception() is not None:
                state.error = future.exception()
            else:
                state.results[index] = future.result()
                feed_side()
            lock.notify_all()

    try:
        with lock:
            feed_side()
        while True:
            with lock:
                index = claim(range(len(jobs)))
                if index is None:
                    if len(state.claimed) == len(jobs) or state.error is not None:
                        break
                    lock.wait()  # for the second process to finish a job that makes one ready
                    continue
                given = figures() if jobs[index].needs_figures else []
            result = jobs[index].run(say, given)
            with lock:
                state.results[index] = result
                feed_side()  # a job it was waiting for may be ready now
        with lock:
            lock.wait_for(lambda: state.side_job is None)
        if state.error is not None:
            raise state.error
        return [state.results[index] for index in range(len(jobs))]
    finally:
        with lock:
            state.closing = True
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        _side_jobs = None


def _run_in_side(index: int, figures: list) -> Any:
    assert _side_jobs is not None, "the second report process started without its jobs"
    return _side_jobs[index].run(lambda message: None, figures)
