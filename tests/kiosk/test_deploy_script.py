"""deploy/kiosk/nghedan-kiosk: waits for /healthz, starts Chromium in kiosk mode, restarts it."""

from __future__ import annotations

import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "kiosk" / "nghedan-kiosk"


class _Health(BaseHTTPRequestHandler):
    answers = ["down", "down", "up", "up", "up"]
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        state = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        self.seen.append(f"{self.path} {state}")
        self.send_response(200 if state == "up" else 503)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_it_waits_for_the_server_then_starts_and_restarts_chromium(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    calls = tmp_path / "calls"
    fake = tmp_path / "chromium"
    fake.write_text(f'#!/bin/sh\necho "$LANGUAGE $@" >> {calls}\nexit 1\n')  # dies at once
    fake.chmod(0o755)
    url = f"http://127.0.0.1:{server.server_port}/kiosk/enroll/abc123"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "NGHEDAN_KIOSK_URL": url,
        "CHROMIUM": str(fake),
        "NGHEDAN_KIOSK_WAIT": "0.1",
        "NGHEDAN_KIOSK_MAX_STARTS": "2",
    }
    try:
        done = subprocess.run(
            ["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30
        )
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr
    started = calls.read_text().splitlines()
    assert len(started) == 2  # started again after it died
    assert all("--kiosk" in line and line.endswith(url) for line in started)
    assert all("--lang=vi" in line.split() for line in started)  # Chromium's own words too
    assert f"--user-data-dir={tmp_path}/.config/nghedan-kiosk" in started[0]
    assert all(line.startswith("vi ") for line in started)  # LANGUAGE=vi
    assert _Health.seen[:3] == ["/healthz down", "/healthz down", "/healthz up"]
    assert "waiting for" in done.stderr


def test_it_refuses_to_start_without_a_url(tmp_path):
    done = subprocess.run(
        ["sh", str(SCRIPT)],
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"},
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert done.returncode != 0 and "NGHEDAN_KIOSK_URL" in done.stderr
