"""Limits of the HTTP edge.

Hard-coded until they move to Settings (proposed: ASSISTANT_MAX_BODY_BYTES,
ASSISTANT_STREAM_CHUNK_WORDS); the message and history limits belong to the answer contract
(assistant.answering.models) and are not repeated here.
"""

from __future__ import annotations

# A chat request is a 2,000-character message plus a short history: 64 KiB is generous for that
# and small enough that a client cannot make the server buffer megabytes before validation.
MAX_BODY_BYTES = 64 * 1024

# Words per `delta` event of the stream: small enough to look live, few enough events to be cheap.
STREAM_CHUNK_WORDS = 3
