"""Errors a user can meet: each names the thing and the fix, and carries an HTTP status."""

from __future__ import annotations


class BluelightError(Exception):
    """Base of every error bluelight raises on purpose."""

    status: int = 500
    code: str = "internal_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInput(BluelightError):
    status = 422
    code = "bad_input"


class NotFound(BluelightError):
    status = 404
    code = "not_found"


class Unauthorized(BluelightError):
    status = 401
    code = "unauthorized"


class PayloadTooLarge(BluelightError):
    status = 413
    code = "payload_too_large"


class UnsupportedMedia(BluelightError):
    status = 415
    code = "unsupported_media_type"


class StoreUnavailable(BluelightError):
    status = 503
    code = "store_unavailable"


class ModelUnavailable(BluelightError):
    status = 503
    code = "model_unavailable"


class AnswerTimeout(BluelightError):
    status = 504
    code = "answer_timeout"


class DocumentRefused(BluelightError):
    """A file ingest cannot take: encrypted, no text layer, damaged, empty, wrong type."""

    status = 422
    code = "document_refused"

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class EncryptedPDF(DocumentRefused):
    code = "encrypted_pdf"


class NoTextLayer(DocumentRefused):
    code = "no_text_layer"


class DamagedFile(DocumentRefused):
    code = "damaged_file"
