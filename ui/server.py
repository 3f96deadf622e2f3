"""The HTTP server: a JSON API over `AssistantService`, the indexed documents at /doc, and the Gradio chat mounted
on the same FastAPI app. Login (when configured) lives here, for every route alike.

    POST   /api/ask                 question, history, filters → the `ask --json` object (stream: server-sent events)
    GET    /api/documents           the documents in the index
    POST   /api/documents           upload files (multipart) with their type, town, date and source URL
    DELETE /api/documents/{name}    remove a document
    GET    /doc/{name}              the indexed copy of a document (PDFs inline, everything else as plain text)
    GET    /healthz                 liveness
    GET    /docs                    the OpenAPI page
"""

from __future__ import annotations

import contextlib
import hmac
import html
import json
import os
import secrets
import tempfile
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.errors import NOT_FOUND_ERRORS, USER_ERRORS
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.types import Answer, Filters

SESSION_COOKIE = "assistant_session"
# Paths anyone may reach with a login configured: the login itself and the health check.
PUBLIC_PATHS = {"/login", "/healthz"}
LOGIN_ATTEMPTS = 5  # failed logins from one address within LOGIN_WINDOW seconds before it must wait
LOGIN_WINDOW = 60.0
# Routes that cost real work (answering, ingesting, the chat's queue), counted per client address.
METERED = ("/api/ask", "/api/documents", "/gradio_api/queue/join", "/gradio_api/upload")


class AskRequest(BaseModel):
    """One question, as a follow-up to `history` (earlier questions, oldest first), within optional filters."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=10_000, description="Checked against ui.max_question_chars.")
    history: list[str] = Field(default_factory=list, max_length=20)
    towns: list[str] = Field(default_factory=list, max_length=10, description="These towns plus statewide documents.")
    types: list[str] = Field(default_factory=list, max_length=5, description="Only these document types.")
    date_from: str | None = None
    date_to: str | None = None
    language: str | None = Field(
        None,
        pattern="^(en|es)$",
        description="Language of the reply's own words; unset = the question's language (a Spanish question gets "
        "a Spanish reply).",
    )
    stream: bool = Field(False, description="Send server-sent events: `delta` pieces of text, then `answer`.")

    def filters(self) -> Filters:
        return Filters(towns=self.towns, doc_types=self.types, date_from=self.date_from, date_to=self.date_to)


class RateLimit:
    """At most `per_minute` requests per client address in any sliding minute."""

    def __init__(self, per_minute: int):
        self.per_minute = per_minute
        self.seen: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        with self.lock:
            recent = self.seen[client]
            while recent and now - recent[0] > 60:
                recent.popleft()
            if len(recent) >= self.per_minute:
                return False
            recent.append(now)
            return True


class Logins:
    """Who may log in, their sessions, and a limit on failed attempts per client address."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self.pairs = pairs
        self.sessions: dict[str, str] = {}
        self.failures: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    @property
    def required(self) -> bool:
        return bool(self.pairs)

    def check(self, name: str, password: str) -> bool:
        return any(
            hmac.compare_digest(name, n) & hmac.compare_digest(password.encode(), p.encode()) for n, p in self.pairs
        )

    def throttled(self, client: str) -> bool:
        with self.lock:
            recent = self.failures[client]
            while recent and time.monotonic() - recent[0] > LOGIN_WINDOW:
                recent.popleft()
            return len(recent) >= LOGIN_ATTEMPTS

    def failed(self, client: str) -> None:
        with self.lock:
            self.failures[client].append(time.monotonic())

    def open_session(self, name: str) -> str:
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.sessions[token] = name
        return token

    def user(self, request: Request) -> str | None:
        """The logged-in user of a request: by session cookie, or by HTTP Basic credentials (for API clients)."""
        token = request.cookies.get(SESSION_COOKIE)
        if token and token in self.sessions:
            return self.sessions[token]
        header = request.headers.get("authorization", "")
        if header.lower().startswith("basic "):
            import base64

            with contextlib.suppress(ValueError, UnicodeDecodeError):
                name, _, password = base64.b64decode(header[6:]).decode().partition(":")
                if self.check(name, password):
                    return name
        return None


class Gate:
    """A plain ASGI middleware that lets a request through or answers it, from its path and headers alone.
    Starlette's BaseHTTPMiddleware (`@app.middleware("http")`) copies every chunk of every streamed response
    through a memory stream and a task group; with the chat's server-sent events that kept the event loop busy
    enough under fifty users that joining the queue took over five seconds."""

    def __init__(self, app: ASGIApp, gate: Callable[[Request], Response | None]) -> None:
        self.app = app
        self.gate = gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (refusal := self.gate(Request(scope))) is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)


def build_server(service: AssistantService, blocks: Any | None = None) -> FastAPI:
    """The API and /doc routes, login for all of them, and (when given) the Gradio Blocks mounted at /."""
    settings = service.settings
    logins = Logins(settings.ui_logins())
    limit = RateLimit(settings.ui.requests_per_minute)
    max_upload = int(settings.ui.max_upload_mb * 1_000_000)
    max_files = settings.ui.max_files
    app = FastAPI(
        title="policy-assistant",
        description="Answers, with citations, on how Massachusetts police, sheriffs and courts work with ICE.",
        version="1",
    )

    def gate(request: Request) -> Response | None:
        """Login (when configured) for every route but the public ones, then a flood from one address gets 429
        (with when to retry), before any work is done for it. None: let the request through."""
        if logins.required and request.url.path not in PUBLIC_PATHS and not logins.user(request):
            if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
                return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
            return JSONResponse({"detail": "Not authenticated"}, status_code=401)
        metered = request.method == "POST" and request.url.path.startswith(METERED)
        if metered and not limit.allow(request.client.host if request.client else "?"):
            return JSONResponse(
                {"detail": "Too many requests from this address; try again in a minute."},
                status_code=429,
                headers={"Retry-After": "60"},
            )
        return None

    app.add_middleware(Gate, gate=gate)

    @app.get("/login", include_in_schema=False)
    def login_page(next: str = "/", failed: bool = False) -> HTMLResponse:
        return HTMLResponse(login_html(next, failed))

    @app.post("/login", include_in_schema=False)
    def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/")) -> Response:
        client = request.client.host if request.client else "?"
        if logins.throttled(client):
            return JSONResponse({"detail": "Too many failed logins; try again in a minute."}, status_code=429)
        if not logins.check(username, password):
            logins.failed(client)
            if "text/html" in request.headers.get("accept", ""):
                return RedirectResponse(f"/login?failed=true&next={safe_next(next)}", status_code=303)
            return JSONResponse({"detail": "Wrong name or password"}, status_code=401)
        token = logins.open_session(username)
        browser = "text/html" in request.headers.get("accept", "")
        response: Response = (
            RedirectResponse(safe_next(next), status_code=303) if browser else JSONResponse({"ok": True})
        )
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax")
        return response

    @app.get("/healthz", tags=["service"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/api/ask", tags=["answers"], response_model=None)
    def ask(body: AskRequest) -> Response:
        """Answer a question; with `stream: true`, server-sent events (`delta` text pieces, then `answer`)."""
        if not body.stream:
            answer = _call(lambda: service.ask(body.question, body.history, body.filters(), body.language))
            return JSONResponse(answer.as_json())

        items = _call(lambda: service.stream(body.question, body.history, body.filters(), body.language))

        def events() -> Iterator[str]:
            try:
                for item in items:
                    if isinstance(item, Answer):
                        yield f"event: answer\ndata: {json.dumps(item.as_json(), ensure_ascii=False)}\n\n"
                    else:
                        yield f"event: delta\ndata: {json.dumps({'text': item}, ensure_ascii=False)}\n\n"
            except USER_ERRORS as exc:
                yield f"event: error\ndata: {json.dumps({'detail': str(exc)})}\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    @app.get("/api/documents", tags=["documents"])
    def documents() -> list[dict[str, Any]]:
        return [r.as_json() for r in _call(service.documents)]

    @app.post("/api/documents", tags=["documents"])
    def upload(
        files: list[UploadFile] = File(...),  # noqa: B008 (FastAPI declares form parts as defaults)
        doc_type: str | None = Form(None),
        town: str | None = Form(None),
        date: str | None = Form(None),
        source_url: str | None = Form(None),
    ) -> dict[str, Any]:
        """Add files to the index; the answer says, per file, added / unchanged / replaced / failed and why."""
        if len(files) > max_files:
            raise HTTPException(413, f"{len(files)} files in one upload; send at most {max_files} at a time")
        with tempfile.TemporaryDirectory(prefix="assistant-upload-") as scratch:
            paths = [_save_upload(f, Path(scratch), max_upload) for f in files]
            overrides = {
                "doc_type": doc_type or None,
                "towns": [town] if town else [],
                "date": date or None,
                "source_url": source_url or None,
            }
            return _call(lambda: service.ingest(paths, overrides, progress=False)).as_json()

    @app.delete("/api/documents/{name}", tags=["documents"])
    def remove(name: str) -> dict[str, Any]:
        file, chunks = _call(lambda: service.remove(name))
        return {"file": file, "chunks": chunks}

    @app.get("/doc/{name}", tags=["documents"])
    def document(name: str) -> FileResponse:
        """The indexed copy of a document, only from the index's own file store."""
        path = service.file_path(name)
        if path is None:
            raise HTTPException(status_code=404, detail="No such document")
        media = "application/pdf" if path.suffix.lower() == ".pdf" else "text/plain; charset=utf-8"
        # Everything but PDFs is sent as plain text, so an HTML document's markup never runs in the browser.
        return FileResponse(path, media_type=media, content_disposition_type="inline", filename=path.name)

    if blocks is not None:
        import gradio as gr

        from ui.app import CSS, HEAD

        gr.mount_gradio_app(
            app,
            blocks,
            path="",
            auth_dependency=(lambda request: logins.user(request)) if logins.required else None,
            allowed_paths=[],
            blocked_paths=[str(settings.index.dir.resolve())],
            max_file_size=f"{settings.ui.max_upload_mb:g}mb",
            footer_links=[],
            show_error=True,
            ssr_mode=False,
            css=CSS,
            head=HEAD,
        )
    return app


def _call(function: Any) -> Any:
    """Run a service call; a user's mistake (no such document, a bad filter) becomes a 4xx with its message."""
    try:
        return function()
    except USER_ERRORS as exc:
        status = 404 if isinstance(exc, NOT_FOUND_ERRORS) else 400
        raise HTTPException(status_code=status, detail=str(exc)) from exc


def _save_upload(upload: UploadFile, folder: Path, limit: int) -> Path:
    """Write one upload under its bare file name, refusing it past the size limit (counted, not trusted)."""
    name = Path(upload.filename or "upload").name[:200] or "upload"
    path = folder / name
    written = 0
    with path.open("wb") as handle:
        while block := upload.file.read(1 << 20):
            written += len(block)
            if written > limit:
                raise HTTPException(413, f"{name} is larger than the {limit / 1_000_000:g} MB upload limit")
            handle.write(block)
    return path


def safe_next(target: str) -> str:
    """Only a path on this server (never another host) is a place to go after logging in."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def login_html(next_path: str, failed: bool) -> str:
    warning = '<p role="alert">Wrong name or password.</p>' if failed else ""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
        "content='width=device-width'><title>Log in — policy-assistant</title></head><body style='font-family:"
        "sans-serif;max-width:24rem;margin:4rem auto'><h1>Log in</h1>"
        f"{warning}<form method='post' action='/login'>"
        f"<input type='hidden' name='next' value='{html.escape(safe_next(next_path), quote=True)}'>"
        "<p><label>Name<br><input name='username' autocomplete='username' required></label></p>"
        "<p><label>Password<br><input name='password' type='password' autocomplete='current-password' required>"
        "</label></p><p><button type='submit'>Log in</button></p></form></body></html>"
    )


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Run the chat and the API: local only unless told otherwise, never shared, analytics off, uploads capped,
    the index directory never served as a Gradio file."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("OTEL_SDK_DISABLED", "true")  # FastAPI's OpenTelemetry hooks: never export
    import uvicorn

    from ui.app import build_app

    service = AssistantService(settings)
    service.assistant  # noqa: B018 (open the index and load the model before the first question)
    blocks = build_app(service)
    blocks.queue(default_concurrency_limit=settings.ui.workers, max_size=settings.ui.queue_size)
    app = build_server(service, blocks)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise SystemExit(f"The server could not start on {host}:{port}")
        time.sleep(0.05)
    login = " (login required)" if settings.ui_logins() else ""
    print(f"policy-assistant chat on http://{host}:{port}{login}; API docs at http://{host}:{port}/docs", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        thread.join()
