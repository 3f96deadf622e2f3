"""A scripted language-model server on 127.0.0.1 for the tests: it speaks the OpenAI chat-completions protocol
(`/v1/chat/completions`, plain and `stream=true` server-sent events) and the Ollama API (`/api/chat`, JSON lines),
and replies what the test's script says to the prompt it was sent."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# What a script may return instead of a reply's text.
HANG = "<hang>"  # send nothing, ever (until the server stops)
TRICKLE = "<trickle>"  # start a reply, then send a word every half second, forever
FAIL = "<500>"  # an internal server error
GARBAGE = "<garbage>"  # a 200 response that is an HTML page, not the protocol

_PASSAGE = re.compile(r"\[\[BEGIN (\w+) (\d+)\]\][^\n]*\n(.*?)\n\[\[END \1 \2\]\]", re.S)


@dataclass
class Prompt:
    """What the server was asked: the system and user messages, and the passages read back out of the prompt."""

    system: str
    user: str
    passages: dict[int, str] = field(default_factory=dict)

    def passage_with(self, words: str) -> int:
        """The number the prompt gave the passage containing these words."""
        return next(n for n, text in self.passages.items() if words in text)


Script = Callable[[Prompt], str]


class ModelServer:
    """`with ModelServer(script) as server:` — `server.url` for ASSISTANT_LLM_URL, `server.prompts` as received."""

    def __init__(self, script: Script):
        self.script = script
        self.prompts: list[Prompt] = []
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> ModelServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def reply_to(self, body: dict[str, Any]) -> str:
        messages = body.get("messages", [])
        system = "\n".join(m["content"] for m in messages if m["role"] == "system")
        user = "\n".join(m["content"] for m in messages if m["role"] == "user")
        prompt = Prompt(system, user, {int(n): text for _, n, text in _PASSAGE.findall(user)})
        self.prompts.append(prompt)
        return self.script(prompt)


def _handler(server: ModelServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            reply = server.reply_to(body)
            if reply == HANG:
                server.stopping.wait(120)
                return
            if reply == FAIL:
                self._send(500, "application/json", b'{"error": {"message": "scripted failure"}}')
                return
            if reply == GARBAGE:
                self._send(200, "text/html", b"<html><body>It works!</body></html>")
                return
            ollama = self.path.startswith("/api/")
            if not body.get("stream", ollama):
                self._whole(reply, ollama, body.get("model", ""))
            else:
                self._stream(reply, ollama, body.get("model", ""))

        def _send(self, status: int, kind: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _whole(self, text: str, ollama: bool, model: str) -> None:
            if ollama:
                data = {"model": model, "message": {"role": "assistant", "content": text}, "done": True}
            else:
                data = {
                    "id": "scripted",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                    ],
                }
            self._send(200, "application/json", json.dumps(data).encode())

        def _stream(self, text: str, ollama: bool, model: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson" if ollama else "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            trickle = text == TRICKLE
            pieces = re.findall(r"\S+\s*", "The policy says " if trickle else text)
            index = 0
            while index < len(pieces) or trickle:
                piece = pieces[index] if index < len(pieces) else "more "
                self._event(piece, ollama, model, done=False)
                index += 1
                if trickle and server.stopping.wait(0.5):
                    return
            self._event("", ollama, model, done=True)

        def _event(self, piece: str, ollama: bool, model: str, done: bool) -> None:
            if ollama:
                line = {"model": model, "message": {"role": "assistant", "content": piece}, "done": done}
                if done:
                    line["done_reason"] = "stop"
                data = json.dumps(line) + "\n"
            elif done:
                data = "data: [DONE]\n\n"
            else:
                chunk = {
                    "id": "scripted",
                    "object": "chat.completion.chunk",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
                }
                data = f"data: {json.dumps(chunk)}\n\n"
            try:
                self.wfile.write(data.encode())
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


def _first_sentence(text: str) -> str:
    from corpus.chunking import sentence_texts

    return sentence_texts(text)[0].strip()


# Scripts for trying the assistant by hand against a server that behaves like a small model does.
SCRIPTS: dict[str, Script] = {
    # Restates the first two passages' opening sentences and cites nothing (what small models mostly do).
    "uncited": lambda p: " ".join(_first_sentence(p.passages[n]) for n in sorted(p.passages)[:2]),
    # One cited restatement, then a claim with a town, a number and a year no passage is likely to hold.
    "inventive": lambda p: (
        f"{_first_sentence(p.passages[1])} [1] Worcester police also shared 4,321 records with ICE in 1987 [1]."
        if p.passages
        else "Worcester police shared 4,321 records with ICE in 1987."
    ),
}


if __name__ == "__main__":
    import sys

    script = SCRIPTS[sys.argv[1] if len(sys.argv) > 1 else "uncited"]
    with ModelServer(script) as running:
        print(f"scripted model on {running.url} (OpenAI protocol under /v1, Ollama under /api)", flush=True)
        threading.Event().wait()
