"""Comm messages: a flood of widget state, and comms nbclient cannot parse.

Attack: 100 comms, each opened with 5 MB of widget state and updated with
5 MB more (messages below the client's size limit, so they are received).
nbclient kept every comm's state in the grader's memory (50 comms of 20 MB
added about 1 GB). Then comm messages without ``data``, with ``data`` that is
not an object, and with buffer paths that are not a list, which raised
inside nbclient and failed the notebook.
Must score: 0 on every item (unsolved release), the notebook runs on after
the comms (comm traffic is ignored), and the grader's memory stays bounded.
"""
from _kit import ZERO, with_cell

ATTACK = "100 comms x (5 MB state + 5 MB update), then malformed comm messages"

FLOOD = '''
import comm
for _ in range(25):
    channel = comm.create_comm(target_name="jupyter.widget",
                               data={"state": {"_model_name": "OutputModel",
                                               "blob": "w" * (5 * 2**20)}})
    channel.send({"method": "update", "state": {"blob": "v" * (5 * 2**20)}})
    channel.close()
'''

MALFORMED = '''
_kernel = get_ipython().kernel
for _content in ({"comm_id": "no-data"}, {"comm_id": "text", "data": "not an object"},
                 {"comm_id": "paths", "data": {"state": {}, "buffer_paths": 7}},
                 {"data": {"state": []}}):
    _kernel.session.send(_kernel.iopub_socket, "comm_msg", content=_content,
                         parent=_kernel.get_parent())
print("COMMS-SENT")
'''


def build(solved, release, ctx):
    nb = with_cell(release, MALFORMED, after="setup")
    for _ in range(4):  # four cells, each well within the per-cell time limit
        nb = with_cell(nb, FLOOD, after="setup")
    return with_cell(nb, 'print("AFTER-COMMS")', after="ex1_setup")


EXPECT = {"scores": ZERO, "present": ["COMMS-SENT", "AFTER-COMMS"]}
