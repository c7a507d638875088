"""Join a cgroup, then become the given command.

Run as ``python -I -S join_cgroup.py CGROUP_PROCS_FILE -- COMMAND...``: the
process writes its own pid into the group's ``cgroup.procs`` (so that all it
starts is born inside the group) and executes COMMAND in its place. If the
group cannot be joined, the command does not run. This file is run by its path
and imports only the standard library.
"""

import os
import sys

if __name__ == "__main__":
    procs, separator, command = sys.argv[1], sys.argv[2], sys.argv[3:]
    if separator != "--" or not command:
        sys.exit("usage: join_cgroup.py CGROUP_PROCS_FILE -- COMMAND...")
    with open(procs, "w", encoding="ascii") as handle:
        handle.write(str(os.getpid()))
    os.execv(command[0], command)
