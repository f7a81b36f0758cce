"""Run by test_outbox_crash.py as its own process: submit through the outbox, then die by
SIGKILL at the moment the test names, as a power cut or a crash would."""

from __future__ import annotations

import os
import signal
import sys

from kiosk.backend.client import PlatformClient
from kiosk.backend.outbox import Outbox


def main() -> None:
    url, kiosk_id, kiosk_key, path, moment, token = sys.argv[1:7]
    client = PlatformClient(url, kiosk_id, kiosk_key, cache_dir=None)
    real_submit = client.submit

    def dying_submit(*args: object, **kwargs: object) -> object:
        if moment == "after_write":
            os.kill(os.getpid(), signal.SIGKILL)  # on disk, never sent
        answer = real_submit(*args, **kwargs)  # type: ignore[arg-type]
        if moment == "after_send":
            os.kill(os.getpid(), signal.SIGKILL)  # the platform has it; the outbox never heard
        return answer

    client.submit = dying_submit  # type: ignore[method-assign]
    outbox = Outbox(path, client)
    receipt = outbox.submit(
        "complaint",
        {"kind": "complaint", "category": "kiosk", "subject": "断电测试", "text": "crash test"},
        token=token,
    )
    print(receipt.tracking_number, flush=True)


if __name__ == "__main__":
    main()
