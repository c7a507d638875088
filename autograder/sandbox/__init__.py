"""The sandbox: student notebooks run in an IPython kernel inside bubblewrap.

* :mod:`.probe`: can bubblewrap be used here, and how is it described;
* :mod:`.commands`: the bwrap, prlimit and setpriv command lines, the kernel's
  environment;
* :mod:`.uids`: one unprivileged uid per running kernel;
* :mod:`.kernel_manager`, :mod:`.kernel_client`, :mod:`.kernel_output`: the
  jupyter_client classes that start, talk to and drain the kernel.

Threat model
------------
Student code is hostile.  It runs in the kernel that nbgrader's Execute
preprocessor (an nbclient ``NotebookClient``) starts, and may try to read the
course's files (``source/``, ``solutions/``, ``gradebook.db``, other students'
submissions), shadow modules the grading code imports (a ``numpy.py`` next to
the notebook), write outside its folder, reach the network, or exhaust the
machine (fork bombs, memory bombs, huge files, endless loops).

``kernel_manager.SandboxedKernelManager`` (use it as nbclient's ``kernel_manager_class``)
answers this as follows:

* The kernel's working folder is a fresh private temp folder holding a copy of
  the course's public files (``public_dir``, notebooks excluded) and an empty
  ``exchange/`` folder.  Nothing of the submission folder (the ``cwd`` nbclient
  passes) is copied: the notebook's cells arrive over the kernel protocol.
* On Linux with bubblewrap the kernel sees only a tmpfs root with read-only
  system dirs (/usr and the /bin, /lib... links), a few /etc files, the Python
  environment (``sys.prefix``/``sys.base_prefix``) and ``extra_ro_paths``;
  the work folder is bound read-write at ``/home/student``; /tmp, /proc and
  /dev are private.  No network namespace is shared: even loopback connects
  to the host fail, so the kernel talks to the grader over zmq's ``ipc``
  transport (unix sockets in a folder bound at the same path on both sides).
* As root, RLIMIT_NPROC is not enforced, so the kernel runs as an
  unprivileged uid of its own (a lock file per uid keeps concurrent kernels,
  even of different grader processes, apart).  Measured on Debian 12 /
  bwrap 0.8: bwrap must run as root (so it can bind the pyenv Python under
  /root, mode 700) *without* a user namespace (``--unshare-all`` creates one
  that maps a single uid, and ``setpriv --reuid`` then fails with EINVAL),
  and ``prlimit`` + ``setpriv`` inside drop to the uid and set the limits.
  Parent dirs that bwrap creates are mode 0700, hence ``--perms 0755 --dir``.
  Not root: bwrap's ``--unshare-all`` user namespace, no uid switch; there
  RLIMIT_NPROC counts only the sandbox's processes (measured as uid 65534).
* ``--new-session`` puts the kernel out of reach of the grader's process
  group signals, so interrupts are sent as ``interrupt_request`` messages.
* Without bubblewrap (e.g. macOS) the kernel runs with resource limits only,
  in the private work folder, and a WARNING says students can read the
  grader's files; ``require_sandbox=True`` turns that into an error.

Residual risks: the kernel can still create user namespaces (kernel attack
surface), fill the disk with many files below the size limit, and anything it
writes to ``exchange/`` is untrusted input for the grader.

Reading ``exchange/``: while the kernel runs (e.g. in an nbclient
``on_cell_executed`` hook via ``client.km``) call ``km.read_exchange()``; at
shutdown, right before the temp folder is removed, the manager stores the
files in ``km.exchange_files`` and calls ``km.on_exchange(files)``, which by
default calls the configurable ``exchange_callback(km, files)``.  Both read
regular files only, never following symlinks, within ``exchange_max_bytes``.
"""
