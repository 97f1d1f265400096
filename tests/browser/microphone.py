"""A Chromium whose microphone says a Vietnamese sentence: a WAV made by Debian's espeak-ng
(`make test` installs it, target speech), fed to Chromium's fake capture device."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

SENTENCE = "Đường vào ấp Tân Phú bị ngập nước, xin xã sửa giúp."


@pytest.fixture(scope="module")
def spoken_wav(tmp_path_factory) -> Path:
    """A WAV of a resident saying one sentence, made by Debian's espeak-ng."""
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is missing: `make test` (target speech) installs it", pytrace=False)
    wav = tmp_path_factory.mktemp("voice") / "resident.wav"
    subprocess.run(["espeak-ng", "-v", "vi", "-s", "140", "-w", str(wav), SENTENCE], check=True)
    return wav


@pytest.fixture(scope="module")
def mic_browser(browser, spoken_wav):
    """Chromium whose microphone plays the WAV (in a loop), with no permission prompt; launched
    by the session's Playwright (a second sync Playwright can't run beside it)."""
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={spoken_wav}",
    ]
    with_mic = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    yield with_mic
    with_mic.close()
