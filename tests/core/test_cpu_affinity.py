"""core.cpu_affinity: a numbered web worker holds to one core, every thread of it, and N workers
on N cores take one each; without a number nothing is pinned."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PLATFORM = Path(__file__).resolve().parents[2] / "platform"

# A thread started before pinning (as a server's may be), then the masks of every thread.
REPORT = """
import json, os, threading
started = threading.Event(); done = threading.Event()
threading.Thread(target=lambda: (started.set(), done.wait()), daemon=True).start()
started.wait()
from core.cpu_affinity import pin_worker
core = pin_worker(os.environ.get("WORKER_INDEX"))
masks = [sorted(os.sched_getaffinity(int(t))) for t in os.listdir("/proc/self/task")]
later = []
t = threading.Thread(target=lambda: later.append(sorted(os.sched_getaffinity(0))))
t.start(); t.join(); done.set()
print(json.dumps({"core": core, "masks": masks, "later": later[0]}))
"""

CORES = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
needs_two_cores = pytest.mark.skipif(len(CORES) < 2, reason="needs a machine with two cores")


def run(index: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "WORKER_INDEX"}
    if index is not None:
        env["WORKER_INDEX"] = index
    result = subprocess.run(
        [sys.executable, "-c", REPORT], cwd=PLATFORM, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@needs_two_cores
@pytest.mark.parametrize("index", range(1, len(CORES) + 2))
def test_a_numbered_worker_holds_every_thread_to_its_own_core(index):
    report = run(str(index))
    expected = CORES[(index - 1) % len(CORES)]
    assert report["core"] == expected
    assert all(mask == [expected] for mask in report["masks"])  # the earlier thread too
    assert report["later"] == [expected]


@needs_two_cores
def test_workers_one_to_n_take_different_cores():
    assert sorted(run(str(i))["core"] for i in range(1, len(CORES) + 1)) == CORES


@pytest.mark.parametrize("index", [None, "", "two", "0", "-1"])
def test_without_a_usable_number_nothing_is_pinned(index):
    report = run(index)
    assert report["core"] is None
    assert all(mask == CORES for mask in report["masks"])
