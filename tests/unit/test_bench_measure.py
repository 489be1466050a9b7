"""The benchmarks' memory measure sees the processes a case starts, not only its own."""

import subprocess
import sys

from bench.measure import PeakMemory

CHILD_HOLDING_200_MB = "import time; block = bytearray(200 * 2**20); time.sleep(0.5)"


def test_the_peak_counts_a_child_process():
    with PeakMemory() as memory:
        subprocess.run([sys.executable, "-c", CHILD_HOLDING_200_MB], check=True)
    assert memory.mb > 150


def test_the_peak_of_nothing_much_is_small():
    with PeakMemory() as memory:
        subprocess.run([sys.executable, "-c", "pass"], check=True)
    assert memory.mb < 100
