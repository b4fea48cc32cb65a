#!/usr/bin/env python3
"""CPython's own asyncio test suite, run untraced and then under weft_asyncio, with its native hooks
(when built) and on its pure-Python path: each traced run must give exactly the same result. The suite drives loops with virtual clocks, counts the handles a
loop has scheduled, checks that objects are collected and that no thread is left behind: anything
the agent added to a loop or kept alive would show here as a failure.

    asyncio_suite.py [--modules test_asyncio.test_tasks ...] [--keep DIR]

Needs the suite itself (Debian: libpython3.X-testsuite). Exit status 0 when both runs agree."""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

AGENT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "agents", "python")

# What regrtest prints that says how the run went, apart from times: unittest's count of tests
# run, regrtest's verdict and, in verbose mode, each test's outcome.
_RAN = re.compile(r"^Ran (\d+) tests? in", re.M)
_RESULT = re.compile(r"^(?:Tests )?[Rr]esult: (.*)$", re.M)
# (A test's own output may come between its name and its outcome: test_subprocess's child
# watcher warns when the test reaps a child before the watcher's thread does, a race that any
# change of timing can tip.)
_OUTCOME = re.compile(r"^(test\S*) \((\S+)\)(?:\n.*)? \.\.\. (?:[^\n]*\n){0,5}?"
                      r"(ok|FAIL|ERROR|skipped|expected failure|unexpected success)", re.M)
# Lines naming a test that failed, errored or changed its environment, for the report.
_PROBLEM = re.compile(r"^(FAIL|ERROR): (\S+) \((\S+)\)|^Warning -- (.*)$", re.M)


def run(args, env, log_path):
    start = time.monotonic()
    with open(log_path, "w") as log:
        proc = subprocess.run(args, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=1800)
    with open(log_path) as log:
        text = log.read()
    return proc.returncode, text, time.monotonic() - start


def outcome(code, text):
    ran = _RAN.findall(text)
    result = _RESULT.findall(text)
    outcomes = {}
    for name, where, status in _OUTCOME.findall(text):
        outcomes[status] = outcomes.get(status, 0) + 1
    return {
        "exit status": code,
        "tests run": sum(int(n) for n in ran),
        "outcomes": dict(sorted(outcomes.items())),
        "result": result[-1] if result else None,
        # (thread idents and addresses vary from run to run)
        "problems": sorted(set(re.sub(r"\d+", "N", m.group(0)) for m in _PROBLEM.finditer(text))),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", nargs="+", default=["test_asyncio"],
                        help="test modules (default: the whole of test_asyncio)")
    parser.add_argument("--keep", help="write the logs and the trace here rather than in a temporary directory")
    options = parser.parse_args()
    try:
        import test.test_asyncio  # noqa: F401
    except ImportError:
        print("asyncio_suite: CPython's test suite is not installed (Debian: libpython3.%d-testsuite)"
              % sys.version_info[1], file=sys.stderr)
        return 2

    workdir = options.keep or tempfile.mkdtemp(prefix="weft-asyncio-suite-")
    os.makedirs(workdir, exist_ok=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.abspath(AGENT_DIR) + os.pathsep + env.get("PYTHONPATH", "")
    for key in ("WEFT_OUTPUT", "WEFT_LISTEN"):
        env.pop(key, None)
    # Sequential, in one process: worker processes would run untraced.
    # Verbose: each failing test is named in the log.
    plain_args = [sys.executable, "-m", "test", "-v"] + options.modules
    trace = os.path.join(workdir, "suite.weft")
    traced_args = [sys.executable, "-m", "weft_asyncio", "-o", trace, "--listen", "off",
                   "-m", "test", "-v"] + options.modules

    code, text, took = run(plain_args, env, os.path.join(workdir, "untraced.log"))
    plain = outcome(code, text)
    print("untraced: %s in %.0f s" % (plain["result"], took))
    if plain["result"] is None:
        print("the untraced run printed no result: see %s" % workdir, file=sys.stderr)
        return 1

    native = subprocess.run([sys.executable, "-c", "import weft_asyncio._speedups"], env=env,
                            capture_output=True).returncode == 0
    same = True
    for variant in (["native"] if native else []) + ["pure"]:
        variant_env = dict(env, WEFT_ASYNCIO_PURE="1" if variant == "pure" else "0")
        code, text, took = run(traced_args, variant_env, os.path.join(workdir, "traced-%s.log" % variant))
        traced = outcome(code, text)
        print("traced, %s hooks: %s in %.0f s, trace of %d bytes" % (
            variant, traced["result"], took, os.path.getsize(trace) if os.path.exists(trace) else 0))
        for key in ("exit status", "tests run", "outcomes", "result", "problems"):
            if plain[key] != traced[key]:
                same = False
                print("differs in %s:\n  untraced: %s\n  traced:   %s" % (key, plain[key], traced[key]))
    if not same:
        print("logs in %s" % workdir)
        return 1
    print("same result: %s, %d tests %s" % (plain["result"], plain["tests run"], plain["outcomes"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
