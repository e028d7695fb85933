"""A stock robocorp robot (only robocorp.tasks + robocorp.workitems) for the acceptance
test. Inputs say what to do in ``payload["kind"]``:

ok           read the item's file, create an output with ``copy.bin`` (same bytes) and
             ``summary.txt`` (sha256 + size), done
business     fail BUSINESS NEEDS_REVIEW
application  fail APPLICATION ERP_TIMEOUT (every attempt)
flaky        first attempt: save ``seen`` into the payload and fail APPLICATION
             ERP_UNAVAILABLE; second attempt: like ok, and mark the output ``leave``

``finish`` (step 2) checks each output's files, makes one final output, and leaves the
item marked ``leave`` reserved without releasing it, then passes.
"""

import hashlib
import tempfile
from pathlib import Path

from robocorp import workitems
from robocorp.tasks import task
from robocorp.workitems import ApplicationException, BusinessException, EmptyQueue


def _copy_out(item: workitems.Input, leave: bool) -> None:
    folder = Path(tempfile.mkdtemp())
    name = item.files[0]
    data = item.get_file(name, folder / name).read_bytes()
    (folder / "copy.bin").write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    (folder / "summary.txt").write_text(f"{digest} {len(data)}\n", encoding="utf-8")
    workitems.outputs.create(
        payload={"doc": item.payload["doc"], "sha256": digest, "leave": leave},
        files=[str(folder / "copy.bin"), str(folder / "summary.txt")],
    )


@task
def consume() -> None:
    for item in workitems.inputs:
        with item:  # releases: done on success, failed with the exception's type/code
            kind = item.payload["kind"]
            if kind == "ok":
                _copy_out(item, leave=False)
            elif kind == "business":
                raise BusinessException(code="NEEDS_REVIEW", message="Total does not match")
            elif kind == "application":
                raise ApplicationException(code="ERP_TIMEOUT", message="ERP did not answer")
            elif kind == "flaky":
                if not item.payload.get("seen"):
                    item.payload = {**item.payload, "seen": True}
                    item.save()
                    raise ApplicationException(code="ERP_UNAVAILABLE", message="ERP said 503")
                _copy_out(item, leave=True)


def _check(item: workitems.Input) -> None:
    folder = Path(tempfile.mkdtemp())
    data = item.get_file("copy.bin", folder / "copy.bin").read_bytes()
    summary = item.get_file("summary.txt", folder / "summary.txt").read_text("utf-8")
    digest, size = summary.split()
    if hashlib.sha256(data).hexdigest() != digest or len(data) != int(size):
        raise BusinessException(code="BAD_PAYLOAD", message="copy.bin does not match summary")
    if digest != item.payload["sha256"]:
        raise BusinessException(code="BAD_PAYLOAD", message="payload sha256 differs")


@task
def finish() -> None:
    item = workitems.inputs.current
    while item is not None:
        if item.payload.get("leave"):
            return  # pass without releasing: the Control Room must resolve it
        with item:
            _check(item)
            if item.payload["doc"] == "A":
                workitems.outputs.create(payload={"final": item.payload["doc"]})
        try:
            item = workitems.inputs.reserve()
        except EmptyQueue:
            item = None
