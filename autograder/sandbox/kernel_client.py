"""The client the grader talks to a student's kernel with.

jupyter_client's ``AsyncKernelClient.wait_for_ready`` ends by reading IOPub
until nothing has arrived for 0.2 s. Every grading task starts one kernel (or
more, after a crash), so each task's worker idled for that long. The silence
it waits for buys nothing here: nbclient reads IOPub by the id of the request
it sent and skips every other message, so the handshake's leftover status
messages are never mistaken for a cell's output.

:class:`PromptKernelClient` keeps the two guarantees that matter: the kernel
has answered ``kernel_info`` on the shell channel, and a message has come
through IOPub (IOPub is a publish socket, which drops what is sent before the
subscriber is connected, so a cell's first output could otherwise be lost).

Its shell and IOPub channels check every message before nbclient reads it
(:mod:`.kernel_messages`): the kernel is the student's, and so are its messages.
"""

import time
from queue import Empty

import zmq
from jupyter_client.asynchronous import AsyncKernelClient
from traitlets import Type, default

from ..i18n import _
from .kernel_messages import CheckedIOPubChannel, CheckedShellChannel

#: How long one kernel_info request is waited for before it is sent again.
REPLY_WAIT = 1.0
#: How long IOPub is given to show it is connected after the reply.
IOPUB_WAIT = 0.2
#: The largest part of a message the grader receives from a kernel. No more than 2 MB of
#: output is kept per run anyway; a larger part (ipykernel sends a whole print loop's text
#: as one) is refused by zmq before it is read: the connection drops and comes back, the
#: message is lost, and the grader never holds it in memory.
MAX_MESSAGE_BYTES = 16 * 2**20
#: How many messages each of the grader's sockets holds before it stops reading from the
#: kernel. IOPub is a publish socket: once the grader's queue (zmq's default is 1,000
#: messages) and the kernel's (also 1,000) are full, the kernel drops what it sends next,
#: the status that ends a cell among it. A cell that sent 2,000 messages lost its print
#: and its end on a loaded grader, which then ran the notebook again without it. The
#: deeper queue lets the grader's zmq thread keep taking messages in while its Python
#: thread is slow. The queue counts messages, not bytes: each is still bounded by the part
#: size above, and the output gate drops what the grader reads past its cap.
RECEIVE_QUEUE = 100_000


class PromptKernelClient(AsyncKernelClient):
    """``AsyncKernelClient`` whose ``wait_for_ready`` returns once the kernel
    answers and IOPub is connected, without waiting for IOPub to fall silent,
    whose channels refuse message parts larger than :data:`MAX_MESSAGE_BYTES` and queue up
    to :data:`RECEIVE_QUEUE` messages."""

    @default("context")
    def _limited_context(self):
        context = super()._context_default()  # the client's own context
        context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)  # for every socket it makes
        context.setsockopt(zmq.RCVHWM, RECEIVE_QUEUE)
        return context

    shell_channel_class = Type(CheckedShellChannel)
    iopub_channel_class = Type(CheckedIOPubChannel)

    async def wait_for_ready(self, timeout=None):
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=REPLY_WAIT)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=IOPUB_WAIT)
                except Empty:
                    pass  # IOPub is not connected yet: ask again
                else:
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self._async_is_alive():
                raise RuntimeError(_("Kernel died before replying to kernel_info"))
            if time.monotonic() > deadline:
                raise RuntimeError(_("Kernel didn't respond in {timeout:g} seconds").format(
                    timeout=timeout))
