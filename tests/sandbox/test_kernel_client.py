"""Tests of autograder.sandbox.kernel_client: the handshake, on stand-in channels and on a real kernel."""

import asyncio
from queue import Empty

import pytest
from jupyter_client.manager import AsyncKernelManager

from autograder.sandbox.kernel_client import PromptKernelClient
from autograder.sandbox.kernel_manager import SandboxedKernelManager

REPLY = {"msg_type": "kernel_info_reply", "content": {"protocol_version": "5.4"}}
WELCOME = {"msg_type": "iopub_welcome", "content": {"subscription": ""}}


class StandInChannel:
    """Hands out the given messages in turn (``None``: nothing arrived in time)."""

    def __init__(self, *messages):
        self.messages, self.reads, self.sent = list(messages), 0, []

    async def get_msg(self, timeout=None):
        self.reads += 1
        message = self.messages.pop(0) if self.messages else None
        if message is None:
            raise Empty
        return message

    def send(self, msg):
        self.sent.append(msg["header"]["msg_type"])


class StandInClient(PromptKernelClient):
    alive = True

    async def _async_is_alive(self):
        return self.alive


def client_with(shell, iopub, alive=True):
    client = StandInClient()
    client._shell_channel, client._iopub_channel, client.alive = shell, iopub, alive
    return client


def test_ready_once_the_kernel_answers_and_iopub_delivers_without_draining_iopub():
    shell, iopub = StandInChannel(REPLY), StandInChannel(WELCOME, {"msg_type": "status"})
    asyncio.run(client_with(shell, iopub).wait_for_ready(timeout=5))
    assert shell.sent == ["kernel_info_request"]
    assert iopub.reads == 1  # the rest is left for nbclient, which skips it


def test_asks_again_until_iopub_is_connected():
    shell, iopub = StandInChannel(REPLY, REPLY), StandInChannel(None, WELCOME)
    asyncio.run(client_with(shell, iopub).wait_for_ready(timeout=5))
    assert shell.sent == ["kernel_info_request"] * 2


def test_other_shell_messages_are_not_a_reply():
    shell = StandInChannel({"msg_type": "execute_reply", "content": {}}, REPLY)
    iopub = StandInChannel(WELCOME)
    asyncio.run(client_with(shell, iopub).wait_for_ready(timeout=5))
    assert shell.sent == ["kernel_info_request"] * 2


def test_a_dead_kernel_is_reported():
    client = client_with(StandInChannel(None), StandInChannel(), alive=False)
    with pytest.raises(RuntimeError, match="died before replying"):
        asyncio.run(client.wait_for_ready(timeout=5))


def test_a_silent_kernel_times_out():
    client = client_with(StandInChannel(None, None), StandInChannel())
    with pytest.raises(RuntimeError, match="didn't respond in 0 seconds"):
        asyncio.run(client.wait_for_ready(timeout=0))


def test_the_sandboxed_manager_makes_prompt_clients():
    manager = SandboxedKernelManager()
    assert manager.client_factory is PromptKernelClient
    assert isinstance(manager.client(), PromptKernelClient)


def test_a_real_kernels_first_output_arrives_after_the_handshake():
    async def first_output():
        manager = AsyncKernelManager(client_class="autograder.sandbox.kernel_client.PromptKernelClient")
        await manager.start_kernel()
        client = manager.client()
        client.start_channels()
        try:
            assert isinstance(client, PromptKernelClient)
            await client.wait_for_ready(timeout=60)
            msg_id = client.execute("print('first output')")
            text = []
            while True:
                msg = await client.iopub_channel.get_msg(timeout=30)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue  # the handshake's leftovers
                if msg["msg_type"] == "stream":
                    text.append(msg["content"]["text"])
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    return "".join(text)
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)

    for _ in range(3):  # a race with IOPub's connection would lose it now and then
        assert asyncio.run(first_output()) == "first output\n"
