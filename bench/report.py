"""The table and verdict of a benchmark script (identity.sh, ledger.sh).

Each script runs its own few lines of Python through lib.sh's `report`,
which passes the Google Benchmark JSON result, the load average at the start
and the number of cores, then the script's own arguments (its bars):

    report = Report(sys.argv, decimals=1)    # report.args: the bars
    for run in report.find("some_benchmark/"):
        report.row(f"label, {engine(run)}", run, "us", "< 50 us", lambda m: m < 50)
    report.finish("what was measured", label_width=52, bar_width=12)

finish() prints the table and PASS (exit 0), or FAIL with every reason
(exit 1): a bar not met, a benchmark that reported an error or no result.
"""

import json
import sys


def engine(run):
    """The database a run measured: "sqlite" in "login/sqlite"."""
    return run["name"].split("/")[1]


class Report:
    def __init__(self, argv, decimals):
        path, self.load, self.cores, *self.args = argv[1:]
        with open(path) as f:
            self.runs = json.load(f)["benchmarks"]
        self.decimals = decimals
        self.rows = []
        self.failures = [
            f"{run['name']}: {run.get('error_message', 'error')}"
            for run in self.runs
            if run.get("error_occurred")
        ]

    def find(self, prefix):
        """The measured runs (no aggregates) whose names start with prefix."""
        return [r for r in self.runs if r["name"].startswith(prefix) and r.get("run_type") == "iteration"]

    def row(self, label, run, unit, bar="", ok=None):
        """A row from the run's median_<unit> and p99_<unit> counters; with
        ok, a bar that its median must meet (ok(median) is true)."""
        median, p99 = run.get("median_" + unit), run.get("p99_" + unit)
        if median is None:
            self.failures.append(f"{run['name']}: no result")
            return
        d = self.decimals
        mark = "" if ok is None else ("ok" if ok(median) else "OVER")
        if ok is not None and not ok(median):
            self.failures.append(f"{label}: median {median:.{d}f} {unit} (bar {bar})")
        self.rows.append((label, f"{median:,.{d}f} {unit}", f"{p99:,.{d}f} {unit}", bar, mark))

    def finish(self, title, label_width, bar_width):
        busy = float(self.load) > int(self.cores) / 2
        print(f"\n{title}; load average at start {self.load} on {self.cores} cores"
              + (" (busy: numbers are skewed)" if busy else "") + "\n")
        print(f"{'':{label_width}} {'median':>12} {'p99':>12}   {'bar':<{bar_width}}")
        for label, median, p99, bar, mark in self.rows:
            print(f"{label:{label_width}} {median:>12} {p99:>12}   {bar:<{bar_width}} {mark}")
        print()
        if self.failures:
            print("FAIL: " + "; ".join(self.failures))
            sys.exit(1)
        print("PASS: every bar met")
