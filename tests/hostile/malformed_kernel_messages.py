"""Malformed messages on the kernel's channels.

Attack: the kernel holds its session key, so a cell signs and sends, as
replies to its own request, IOPub messages nbclient does not expect: a stream
whose text is a number, display data that is a list or holds numbers, a
status without a state, a display id that is a list, an execution count that
is a word or enormous, a traceback that is a number, content that is a list,
bytes that are not UTF-8, a lone surrogate, a bad signature, and two thousand
messages of an unknown type. nbclient raised on the first of them and the
whole submission failed to grade (blank grades).
Must score: full marks (the notebook is solved); the messages are dropped,
the cell's own output is kept, and the grader's log stays small.
"""
from _kit import PERFECT, with_cell

ATTACK = "signed IOPub messages with wrong types, bad bytes, surrogates, bad signatures, a flood"

CODE = r'''
import json
k = get_ipython().kernel
s, sock = k.session, k.iopub_socket
parent = k.get_parent()


def send(msg_type, content, parent=parent, header=None):
    s.send(sock, msg_type, content=content, parent=parent, header=header)


def send_raw(content_bytes, msg_type="stream", sign=True, header=None):
    header = header or s.msg_header(msg_type)
    frames = [s.pack(header), s.pack(parent["header"]), b"{}", content_bytes]
    signature = s.sign(frames) if sign else b"0" * 64
    sock.send_multipart([b"kernel.hostile.stream", b"<IDS|MSG>", signature, *frames])


send("stream", {"name": "stdout", "text": 5})
send("display_data", {"data": ["not", "a", "bundle"], "metadata": {}})
send("display_data", {"data": {"text/plain": 5}, "metadata": {}})
send("display_data", {"data": {"text/plain": "x"}, "metadata": {},
                      "transient": {"display_id": ["unhashable"]}})
send("update_display_data", {"data": {"text/plain": "x"}, "metadata": "no",
                             "transient": {"display_id": "a"}})
send("execute_result", {"data": {"text/plain": "x"}, "metadata": {},
                        "execution_count": "seven"})
send("execute_result", {"data": {"text/plain": "x"}, "metadata": {},
                        "execution_count": 10 ** 30})
send("error", {"ename": "E", "evalue": "v", "traceback": 5})
send("status", {})
send("clear_output", {"wait": {"odd": True}})
send_raw(b'["a", "list"]')
send_raw(b'{"name": "stdout", "text": "\xff\xfe not UTF-8"}')
send_raw(json.dumps({"name": "stdout", "text": "LONE-SURROGATE \ud800 kept"}).encode())
send_raw(b'{"name": "stdout", "text": "badly signed"}', sign=False)
send_raw(b'{"name": "stdout", "text": "typeless"}', header={"msg_id": "x", "msg_type": 7})
for i in range(2000):
    send("hostile_unknown_type", {"text": i})
print("MALFORMED-SENT")
'''


def build(solved, release, ctx):
    return with_cell(solved, CODE, after="setup")


EXPECT = {"scores": PERFECT, "present": ["MALFORMED-SENT", "LONE-SURROGATE \ufffd kept"]}
