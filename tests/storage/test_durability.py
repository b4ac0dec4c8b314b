"""A process killed with SIGKILL mid-stream loses none of the writes it reported committed."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from caseworker.app import maintenance
from caseworker.app.session import Credentials, unlock
from caseworker.storage import audit
from tests.conftest import PACKAGE_PARENT, PASSPHRASE

WRITER = """
import sys
from caseworker.app.session import Credentials, unlock
session = unlock(sys.argv[1], Credentials("ayse", sys.argv[2]))
start = int(sys.argv[3])
for i in range(start, start + 100000):
    with session.transaction() as conn:
        session.audit(conn, "test.write", str(i))
    print(i, flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL exists only on POSIX systems")
def test_killed_writer_loses_no_committed_write(centre):
    centre.session.close()
    env = {**os.environ, "PYTHONPATH": PACKAGE_PARENT}
    rng = random.Random(1234)
    committed: list[int] = []
    next_value = 0
    for _ in range(12):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(centre.home), PASSPHRASE, str(next_value)], stdout=subprocess.PIPE, text=True, env=env)
        wanted = rng.randint(1, 60)
        reported = []
        assert child.stdout is not None
        while len(reported) < wanted:
            line = child.stdout.readline()
            assert line, "the writer stopped early"
            reported.append(int(line))
        time.sleep(rng.random() * 0.02)  # let it get somewhere inside the next commit
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate()
        reported += [int(x) for x in rest.split()]
        committed += reported
        next_value = reported[-1] + 1000

        with unlock(centre.home, Credentials("ayse", PASSPHRASE)) as session:
            with session.reading() as conn:
                written = {int(e.subject) for e in audit.latest(conn, 1_000_000) if e.action == "test.write"}
            assert set(committed) <= written
            assert maintenance.check(session).ok
