#!/usr/bin/env python3
"""Runs a command and prints one JSON line: wall seconds, peak RSS (KiB) of
the command (its largest process), exit code, and whether it was stopped at
the time limit.

usage: measure.py [--timeout SECONDS] -- CMD...
"""
import json
import resource
import subprocess
import sys
import time


def main():
    args = sys.argv[1:]
    timeout = None
    if args[:1] == ["--timeout"]:
        timeout = float(args[1])
        args = args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    started = time.monotonic()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    stopped = False
    try:
        out, _ = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        out, _ = child.communicate()
        stopped = True
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stderr.write(out.decode("utf-8", "replace")[-4000:])
    print(json.dumps({"seconds": round(seconds, 2), "peak_rss_kib": peak,
                      "exit": child.returncode, "stopped_at_limit": stopped}))


if __name__ == "__main__":
    main()
