"""Drives `mg chat` through a real pseudo-terminal (its controlling terminal, so Ctrl-C is
the terminal's interrupt character, as a user types it) and prints what the screen showed.

usage: chat_pty.py MG REPO STEPS.json

STEPS is a list of {"send": text, "until": text, "timeout": seconds}: each step writes `send`
(escapes like \\u0003 for Ctrl-C) and then reads until `until` appears in the output that
follows. The exit status is mg's; a step that times out prints TIMEOUT and exits 124.
"""
import json
import os
import pty
import select
import sys
import time


def main():
    mg, repo, steps_file = sys.argv[1:4]
    with open(steps_file) as handle:
        steps = json.load(handle)
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(repo)
        os.execv(mg, [mg, "chat"])
    transcript = b""

    def read_until(needle, timeout, since):
        nonlocal transcript
        deadline = time.time() + timeout
        while needle.encode() not in transcript[since:]:
            left = deadline - time.time()
            if left <= 0:
                return False
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    return needle.encode() in transcript[since:]
                if not chunk:
                    return needle.encode() in transcript[since:]
                transcript += chunk
        return True

    for step in steps:
        since = len(transcript)
        if step.get("send"):
            os.write(fd, step["send"].encode())
        if step.get("until") and not read_until(step["until"], step.get("timeout", 30), since):
            sys.stdout.write(transcript.decode(errors="replace"))
            sys.stdout.write("\nTIMEOUT waiting for %r\n" % step["until"])
            os.kill(pid, 9)
            sys.exit(124)
    # Drain until mg exits.
    while True:
        try:
            ready, _, _ = select.select([fd], [], [], 30)
            if not ready:
                break
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            transcript += chunk
        except OSError:
            break
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(transcript.decode(errors="replace"))
    sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8)


main()
