"""Benchmark: the whole pipeline on synthetic organisations, by stage, and the mapper's throughput.

Usage::

    python -m analyzer.benchmark                          # 1k and 10k rows, 3 runs each
    python -m analyzer.benchmark --rows 1000,10000,100000 --repeat 3
    python -m analyzer.benchmark --mapper                 # statements/s of the default mapper

Each end-to-end run is a fresh process doing what ``analyze INPUT`` does with every report format
(cold: a new, empty mapping cache, the mapper trained in the run), timed by stage; the figures are
medians over the runs. Peak memory is measured two ways: the sum of the proportional set sizes (PSS) of
the run's process and all its worker processes, sampled every 0.2 s (what the run really holds: pages
shared after a fork are counted once), and, as an upper bound, the run's maximum resident set
(``ru_maxrss``) plus that of its largest worker process. Also timed, once each: a new export on a machine
that ran the tool before (the trained mapper cached, none of the descriptions), a run with a warm cache
(every description mapped before) and one after editing three rows. Synthetic organisations come from
:mod:`analyzer.synthetic` (generation time is not counted). The output is Markdown, ready for
BENCHMARKS.md. Timings are printed, never asserted.

``--mapper`` and ``--semantic`` measure the mapper alone (:mod:`analyzer.mapper_benchmark`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from analyzer.mapper_benchmark import mapper_throughput, semantic_throughput

_WRITERS = (("analyzer.report.json_report", "to_json", "report.json"),
            ("analyzer.report.markdown", "to_markdown", "report.md"),
            ("analyzer.report.html", "to_html", "report.html"),
            ("analyzer.report.matrix", "matrix_csv", "matrix csv"),
            ("analyzer.report.xlsx", "matrix_xlsx", "matrix xlsx"),
            ("analyzer.graphio", "graph_files", "graph files"))
_STAGE_NAMES = {"reading input": "ingest", "training the responsibility mapper": "train mapper",
                "building the accountability graph": "graph", "looking for findings": "findings",
                "writing the reports": "write reports"}


# -- one run (in a child process) ------------------------------------------------------------------

def _stage(message: str) -> str:
    if message.startswith("mapping "):
        return "map + read roles"
    if message.startswith("drawing the overlap"):
        return "figure: person overlap"
    if message.startswith("drawing the "):
        return "figure: " + message.removeprefix("drawing the ")
    return _STAGE_NAMES.get(message, message)


def run_once(csv_path: str, out_dir: str, workers: int | None, cache_dir: str | None,
             formats: tuple[str, ...] | None = None) -> dict:
    """Analyse ``csv_path`` and write every report, timing each stage (what one child process does)."""
    started = time.perf_counter()
    import importlib

    from analyzer.model import load_model
    from analyzer.pipeline import analyze
    from analyzer.report import write_reports

    stamps: list[tuple[float, str]] = [(started, "import and load model")]
    writer_times: dict[str, float] = {}

    def timed(function: Callable, label: str) -> Callable:
        def wrapper(*args, **kwargs):
            begun = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                writer_times[label] = writer_times.get(label, 0.0) + time.perf_counter() - begun
        return wrapper

    for module_name, function_name, label in _WRITERS:
        module = importlib.import_module(module_name)
        if hasattr(module, function_name):
            setattr(module, function_name, timed(getattr(module, function_name), label))

    def say(message: str) -> None:
        stamps.append((time.perf_counter(), _stage(message)))

    model = load_model()
    analysis = analyze(csv_path, model=model, progress=say, workers=workers, cache=cache_dir)
    write_reports(analysis, out_dir, formats, progress=say, workers=workers)  # formats None: the CLI default
    ended = time.perf_counter()
    stages: dict[str, float] = {}
    for (begun, name), (finished, _) in zip(stamps, [*stamps[1:], (ended, "")], strict=True):
        stages[name] = stages.get(name, 0.0) + finished - begun
    if "write reports" in stages:
        stages["write reports"] -= sum(writer_times.values())
        stages.update({f"write {label}": seconds for label, seconds in writer_times.items()})
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is bytes on macOS, KiB elsewhere
    return {"total": ended - started, "stages": stages, "rss_mib": own * scale / 2**20,
            "worker_rss_mib": workers_peak * scale / 2**20, "people": len(analysis.people),
            "findings": len(analysis.findings)}


def _child(csv_path: Path, out_dir: Path, workers: int | None, cache_dir: Path | None,
           formats: str | None) -> dict:
    command = [sys.executable, "-m", "analyzer.benchmark", "--child", str(csv_path), str(out_dir)]
    if workers is not None:
        command += ["--workers", str(workers)]
    if cache_dir is not None:
        command += ["--cache-dir", str(cache_dir)]
    if formats:
        command += ["--formats", formats]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        sampler = TreeMemorySampler(process.pid)
        sampler.start()
        stdout, stderr = process.communicate()
        sampler.stop()
    if process.returncode != 0:
        raise RuntimeError(f"benchmark run failed:\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["tree_pss_mib"] = sampler.peak_kib / 1024 if sampler.peak_kib else None
    return result


class TreeMemorySampler:
    """Peak memory of a process and all its descendants together, sampled every ``interval`` seconds.

    RSS counts a page shared by a parent and its forked children once per process, so "main RSS + worker
    RSS" overstates what a forked run uses. PSS (proportional set size, ``/proc/<pid>/smaps_rollup``)
    divides each shared page among the processes sharing it, so the sum over the tree is the memory the
    run really holds. Linux only (elsewhere ``peak_kib`` stays 0); a short peak between two samples
    can be missed, so this is a lower bound of the true peak within one interval's allocations.
    """

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        import threading

        self.pid, self.interval, self.peak_kib = pid, interval, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        if Path("/proc/self/smaps_rollup").exists():
            self._thread.start()

    def stop(self) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._done.is_set():
            self.peak_kib = max(self.peak_kib, sum(_pss_kib(pid) for pid in _process_tree(self.pid)))
            self._done.wait(self.interval)


def _process_tree(root: int) -> list[int]:
    found, frontier = [root], [root]
    while frontier:
        pid = frontier.pop()
        try:
            tasks = Path(f"/proc/{pid}/task").iterdir()
            children = [int(child) for task in tasks
                        for child in (task / "children").read_text().split()]
        except OSError:
            continue
        found += children
        frontier += children
    return found


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


# -- the benchmark ---------------------------------------------------------------------------------

def machine() -> dict[str, str]:
    """nproc, CPU model, Python version, date and load average (the figures mean little without them)."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        load = "n/a"
    from analyzer.parallel import available_cores

    return {"nproc": str(available_cores()), "cpu": cpu, "python": platform.python_version(),
            "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "load average": load}


def help_seconds(repeat: int = 5) -> float:
    """Median wall time of ``analyze --help`` in a fresh interpreter."""
    times = []
    for _ in range(repeat):
        begun = time.perf_counter()
        subprocess.run([sys.executable, "-m", "analyzer", "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - begun)
    return statistics.median(times)


def _median_runs(runs: list[dict]) -> dict:
    stages = sorted({name for run in runs for name in run["stages"]}, key=lambda n: -runs[0]["stages"].get(n, 0.0))
    return {"total": statistics.median(run["total"] for run in runs),
            "stages": {name: statistics.median(run["stages"].get(name, 0.0) for run in runs) for name in stages},
            "rss_mib": max(run["rss_mib"] for run in runs),
            "worker_rss_mib": max(run["worker_rss_mib"] for run in runs),
            "tree_pss_mib": max((run.get("tree_pss_mib") or 0.0) for run in runs),
            "runs": [round(run["total"], 2) for run in runs]}


def _edit_three_rows(source: Path, target: Path) -> None:
    import csv

    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for number in (1, len(rows) // 2, len(rows) - 1):
        rows[number][-1] += "\n- Own the quarterly business review with finance"
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def benchmark_sizes(sizes: list[int], repeat: int, workers: int | None, formats: str | None,
                    say: Callable[[str], None]) -> list[dict]:
    """Cold, warm-cache and three-edited-rows runs per size; medians by stage."""
    from analyzer.synthetic import generate_org

    results = []
    with tempfile.TemporaryDirectory(prefix="analyzer-bench-") as folder:
        root = Path(folder)
        for rows in sizes:
            org = generate_org(rows, seed=rows)
            csv_path = org.write_csv(root / f"org{rows}.csv")
            from analyzer.cache import normalise_description

            distinct = len({normalise_description(person.description) for person in org.people})
            say(f"{rows} rows: {org.distinct_descriptions} distinct texts, {distinct} after normalisation")
            cold = []
            for attempt in range(repeat):  # each with a new, empty cache: the CLI's first run
                cache = root / f"cache{rows}-{attempt}"
                cold.append(_child(csv_path, root / f"out{rows}", workers, cache, formats))
                say(f"  cold run {attempt + 1}: {cold[-1]['total']:.1f}s")
            # A new export on a machine that has run the tool before: the trained mapper is in the cache,
            # none of the descriptions is (the cache folder holds only the stored mapper).
            trained_only = root / f"cache{rows}-trained"
            shutil.copytree(cache / "mappers", trained_only / "mappers")
            new_export = _child(csv_path, root / f"out{rows}", workers, trained_only, formats)
            warm = _child(csv_path, root / f"out{rows}", workers, cache, formats)
            edited_path = root / f"org{rows}-edited.csv"
            _edit_three_rows(csv_path, edited_path)
            edited = _child(edited_path, root / f"out{rows}", workers, cache, formats)
            say(f"  new export, mapper trained before: {new_export['total']:.1f}s; warm cache: {warm['total']:.1f}s; "
                f"three rows edited: {edited['total']:.1f}s")
            results.append({"rows": rows, "distinct_raw": org.distinct_descriptions, "distinct": distinct,
                            "personalised_rows": org.personalised_rows, "people": cold[0]["people"],
                            "findings": cold[0]["findings"], "cold": _median_runs(cold), "new_export": new_export,
                            "warm": warm, "edited": edited})
    return results


# -- output ----------------------------------------------------------------------------------------

def _markdown(info: dict[str, str], results: list[dict], help_time: float | None, mapper: dict | None) -> str:
    lines = ["Machine: " + "; ".join(f"{key} {value}" for key, value in info.items()), ""]
    if help_time is not None:
        lines += [f"`analyze --help`: {help_time:.2f} s (median of 5, fresh interpreter)", ""]
    if results:
        lines += ["| rows | distinct descriptions (raw / normalised) | findings | end to end, cold (median) | runs | "
                  "new export, mapper trained before | warm cache | 3 rows edited | peak memory (PSS, all processes) | "
                  "peak RSS (main + largest worker) |",
                  "|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|"]
        for result in results:
            cold = result["cold"]
            lines.append(f"| {result['rows']:,} | {result['distinct_raw']:,} / {result['distinct']:,} | "
                         f"{result['findings']:,} | {cold['total']:.1f} s | {', '.join(map(str, cold['runs']))} | "
                         f"{result['new_export']['total']:.1f} s | "
                         f"{result['warm']['total']:.1f} s | {result['edited']['total']:.1f} s | "
                         f"{_mib(cold['tree_pss_mib'])} | {cold['rss_mib']:.0f} + {cold['worker_rss_mib']:.0f} MiB |")
        stages = list(dict.fromkeys(name for result in results for name in result["cold"]["stages"]))
        lines += ["", "Where the time goes (cold runs, median seconds per stage):", "",
                  "| stage | " + " | ".join(f"{r['rows']:,} rows" for r in results) + " |",
                  "|---|" + "---:|" * len(results)]
        for stage in stages:
            lines.append(f"| {stage} | " + " | ".join(f"{r['cold']['stages'].get(stage, 0.0):.2f}" for r in results)
                         + " |")
    if mapper:
        lines += ["", f"Mapper throughput on {mapper['statements']:,} distinct duty statements of "
                  f"{mapper['texts']:,} distinct synthetic descriptions (median):", "",
                  f"- one process: {mapper['statements'] / mapper['serial']:,.0f} statements/s "
                  f"({mapper['serial']:.2f} s; CPU time {mapper['serial_cpu']:.2f} s, "
                  f"{mapper['statements'] / mapper['serial_cpu']:,.0f} statements per CPU second)"]
        if mapper["parallel"]:
            lines.append(f"- {mapper['workers']} processes (fork, including pool start): "
                         f"{mapper['statements'] / mapper['parallel']:,.0f} statements/s ({mapper['parallel']:.2f} s)")
        lines.append(f"- segmenting the {mapper['texts']:,} descriptions first (one process): "
                     f"{mapper['segment_seconds']:.2f} s (CPU time {mapper['segment_cpu']:.2f} s)")
        large = mapper["large"]
        lines += ["", f"The same on the {large['statements']:,} distinct duty statements of {large['orgs']} such "
                  "organisations (seeds differ; a set large enough that starting the pool does not dominate):", "",
                  f"- one process: {large['statements'] / large['serial']:,.0f} statements/s "
                  f"({large['serial']:.2f} s; CPU time {large['serial_cpu']:.2f} s)"]
        if large["parallel"]:
            lines.append(f"- {mapper['workers']} processes (fork, including pool start): "
                         f"{large['statements'] / large['parallel']:,.0f} statements/s ({large['parallel']:.2f} s)")
        for order, what in (("cumulative", "cumulative time"), ("tottime", "own time")):
            lines += ["", f"cProfile of one single-process run, top entries by {what}:", "", "```",
                      *mapper["profile"][order], "```"]
    return "\n".join(lines)


def _mib(value: float | None) -> str:
    return f"{value:,.0f} MiB" if value else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analyzer.benchmark", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="1000,10000", help="comma-separated sizes (default: 1000,10000)")
    parser.add_argument("--repeat", type=int, default=3, help="cold runs per size (default: 3)")
    parser.add_argument("--workers", type=int, help="mapping processes (default: auto)")
    parser.add_argument("--formats", help="report formats (default: all, as the CLI)")
    parser.add_argument("--mapper", action="store_true", help="measure the mapper's throughput only")
    parser.add_argument("--semantic", action="store_true",
                        help="measure the semantic mapper's throughput only (needs the semantic extra)")
    parser.add_argument("--child", nargs=2, metavar=("CSV", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        formats = tuple(args.formats.split(",")) if args.formats else None
        print(json.dumps(run_once(*args.child, args.workers, args.cache_dir, formats)))
        return 0

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    info = machine()
    if args.semantic:
        result = semantic_throughput(args.repeat)
        print(_markdown(info, [], None, None))
        print(f"Semantic mapper (--semantic): {result['statements'] / result['serial']:,.0f} statements/s in one "
              f"process on {result['statements']:,} distinct duty statements (median of {args.repeat}; "
              f"{result['serial']:.1f} s, CPU time {result['serial_cpu']:.1f} s); "
              f"trained in {result['training']:.1f} s")
        return 0
    if args.mapper:
        print(_markdown(info, [], None, mapper_throughput(args.repeat)))
        return 0
    sizes = [int(part.replace("_", "").replace("k", "000")) for part in args.rows.split(",") if part.strip()]
    results = benchmark_sizes(sizes, args.repeat, args.workers, args.formats, say)
    info["load average after"] = machine()["load average"]
    print(_markdown(info, results, help_seconds(), None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
