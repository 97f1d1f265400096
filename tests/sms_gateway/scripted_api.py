"""The common part of our fake SMS provider APIs: a threaded HTTP server on 127.0.0.1 that
answers each recipient from a script ("201", "500", "hang", …), the last answer repeating."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer


class ScriptedApi:
    default_answer = "201"

    def __init__(self) -> None:
        self.behaviour: dict[str, list[str]] = {}  # recipient → answers to give, in order
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, recipient: str, *answers: str) -> None:
        """How to answer the next sends to `recipient`; the last answer then repeats."""
        self.behaviour[recipient] = list(answers)

    def start(self):
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def _next_answer(self, recipient: str) -> str:
        with self.lock:
            queue = self.behaviour.get(recipient)
            if not queue:
                return self.default_answer
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def _handler(self):
        raise TypeError("a fake API defines its request handler")
