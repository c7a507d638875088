"""Kernel messages are checked before nbclient reads them: malformed ones are dropped."""

import asyncio
import json

import pytest
import zmq
import zmq.asyncio
from jupyter_client.session import Session

from autograder.sandbox import kernel_messages as km

PARENT = {"msg_id": "req-1", "msg_type": "execute_request"}


def message(msg_type, content):
    return {"header": {"msg_id": "m", "msg_type": msg_type}, "msg_type": msg_type,
            "parent_header": dict(PARENT), "metadata": {}, "content": content}


GOOD = [
    message("stream", {"name": "stdout", "text": "hello"}),
    message("display_data", {"data": {"text/plain": "x", "application/json": {"a": [1]}},
                             "metadata": {}, "transient": {"display_id": "d"}}),
    message("execute_result", {"data": {"text/plain": "3"}, "metadata": {},
                               "execution_count": 3}),
    message("error", {"ename": "E", "evalue": "v", "traceback": ["t"]}),
    message("status", {"execution_state": "idle"}),
    message("clear_output", {"wait": True}),
    message("execute_input", {"code": "1", "execution_count": 1}),
    message("comm_open", {"comm_id": "c", "target_name": "t", "data": {}}),
    dict(message("iopub_welcome", {"subscription": ""}), parent_header={}),
]
BAD = [
    message("stream", {"name": "stdout", "text": 5}),
    message("stream", {"text": "no name"}),
    message("display_data", {"data": ["a", "list"], "metadata": {}}),
    message("display_data", {"data": {"text/plain": 5}, "metadata": {}}),
    message("display_data", {"data": {"text/plain": "x"}, "metadata": {},
                             "transient": {"display_id": ["unhashable"]}}),
    message("update_display_data", {"data": {"text/plain": "x"}, "metadata": "no",
                                    "transient": {"display_id": "d"}}),
    message("execute_result", {"data": {"text/plain": "x"}, "metadata": {},
                               "execution_count": "seven"}),
    message("execute_result", {"data": {"text/plain": "x"}, "metadata": {},
                               "execution_count": 10 ** 30}),
    message("error", {"ename": "E", "evalue": "v", "traceback": 5}),
    message("status", {}),
    message("comm_msg", {"comm_id": ["x"], "data": {}}),
    message("hostile_unknown_type", {"text": 1}),
    message("debug_event", {"text": 1}),  # as a reply to a request, nbclient would log it
    dict(message("stream", {"name": "stdout", "text": "x"}), content=["a", "list"]),
    dict(message("stream", {"name": "stdout", "text": "x"}), parent_header=[1]),
    dict(message("stream", {"name": "stdout", "text": "x"}), msg_type=7),
]


@pytest.mark.parametrize("msg", GOOD, ids=[m["msg_type"] for m in GOOD])
def test_well_formed_messages_pass(msg):
    km.check_iopub(msg)


@pytest.mark.parametrize("msg", BAD, ids=lambda m: str(m.get("msg_type")))
def test_malformed_messages_are_refused(msg):
    with pytest.raises(km.Malformed):
        km.check_iopub(msg)


def test_a_shell_reply_with_an_odd_payload_is_refused():
    km.check_shell(message("execute_reply", {"status": "ok", "payload": []}))
    with pytest.raises(km.Malformed):
        km.check_shell(message("execute_reply", {"status": "ok", "payload": 5}))


def _frames(session, content_bytes, *, sign=True, msg_type="stream"):
    header = session.pack(session.msg_header(msg_type))
    parts = [header, session.pack(PARENT), b"{}", content_bytes]
    return [b"<IDS|MSG>", session.sign(parts) if sign else b"0" * 64, *parts]


def test_undecodable_frames_are_refused_and_surrogates_replaced():
    session = Session(key=b"secret")
    with pytest.raises(km.Malformed, match="decoded"):
        km.decode(session, _frames(session, b'{"name": "stdout", "text": "x"}', sign=False),
                  km.check_iopub)
    with pytest.raises(km.Malformed, match="decoded"):
        km.decode(session, _frames(session, b'{"name": "stdout", "te'), km.check_iopub)
    bad_bytes = km.decode(session, _frames(session, b'{"name": "stdout", "text": "\xff"}'),
                          km.check_iopub)
    assert bad_bytes["content"]["text"] == "\ufffd"  # jupyter_client replaces bad UTF-8
    with pytest.raises(km.Malformed, match="decoded"):
        km.decode(session, [b"no delimiter"], km.check_iopub)
    text = json.dumps({"name": "stdout", "text": "a \ud800 b"}).encode()
    msg = km.decode(session, _frames(session, text), km.check_iopub)
    assert msg["content"]["text"] == "a \ufffd b"


def test_the_channel_skips_malformed_messages_and_keeps_its_timeout():
    async def scenario():
        context = zmq.asyncio.Context()
        pub, sub = context.socket(zmq.PUB), context.socket(zmq.SUB)
        port = pub.bind_to_random_port("tcp://127.0.0.1")
        sub.setsockopt(zmq.SUBSCRIBE, b"")
        sub.connect(f"tcp://127.0.0.1:{port}")
        session = Session(key=b"secret")
        channel = km.CheckedIOPubChannel(sub, session)
        await asyncio.sleep(0.3)  # let the subscription reach the publisher
        for _ in range(5):
            await pub.send_multipart(_frames(session, b'{"name": "stdout", "text": 5}'))
        await pub.send_multipart(_frames(session, b'{"name": "stdout", "text": "good"}'))
        got = await channel.get_msg(timeout=5)
        await pub.send_multipart(_frames(session, b"[]"))
        try:
            await channel.get_msg(timeout=0.3)
        except km.Empty:
            late = "empty"
        pub.close(0)
        sub.close(0)
        context.term()
        return got, late, channel.dropped

    got, late, dropped = asyncio.run(scenario())
    assert got["content"]["text"] == "good" and late == "empty" and dropped == 6
