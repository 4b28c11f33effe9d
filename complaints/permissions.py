"""Rules about who may do something that a role alone does not settle.

Four eyes: a response is signed off by someone other than whoever wrote it or put it forward
for sign-off, on every path (the letter screens, the case's workflow step, the command line and
the API all ask this one rule).
"""

from __future__ import annotations

from collections.abc import Iterable


def second_pair_of_eyes(signer_id: int | None, writers: Iterable[int | None]) -> str | None:
    """Why `signer_id` may not sign off what `writers` wrote or put forward; None if they may."""
    if signer_id is not None and signer_id in set(writers):
        return (
            "whoever wrote a response or put it forward for sign-off cannot also sign it off; "
            "another manager must"
        )
    return None
