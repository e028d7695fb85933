"""Understanding a document: read -> classify -> extract -> validate -> decide.

``Understander`` holds the loaded models; build one per process (``Understander.load()``)
and reuse it: loading took 1.1 s in a fresh process (imports included) and 0.12 s after,
a text-layer invoice 0.08 s (``samples/inbox/invoice_en.pdf``, two busy cores;
``bench/bench_understanding.py`` times it end to end).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from clerk.documents import Document, Field, Understanding
from clerk.errors import ApplicationError, ClerkError, error
from clerk.policy import PolicySettings, decide
from clerk.schemas import SCHEMAS

if TYPE_CHECKING:
    from classifiers import Classifier
    from clerk.payloads import TypeOverride
    from clerk.registry import Registry
    from extractors.extraction import FieldExtractor
    from extractors.memory import MemorySource, Recalled
    from extractors.reading.settings import ReadingSettings
    from extractors.validate import ValidateSettings
    from extractors.vendor_master import VendorMaster
    from pipeline.shadow import Shadow


@dataclass(frozen=True)
class Failure:
    """A file (or an attachment inside one) that could not be understood."""

    name: str
    type: str
    code: str
    message: str

    @staticmethod
    def of(name: str, exc: ClerkError) -> Failure:
        return Failure(name, exc.type, exc.code, exc.message)


Outcome = Understanding | Failure


def _reading_settings() -> ReadingSettings:
    from extractors.reading.settings import ReadingSettings

    return ReadingSettings()


def _validate_settings() -> ValidateSettings:
    from extractors.validate import ValidateSettings

    return ValidateSettings()


@dataclass
class Understander:
    classifier: Classifier
    extractor: FieldExtractor
    policy: PolicySettings
    vendors: VendorMaster | None = None  # master-data validation of the vendor, if set
    memory: MemorySource | None = None  # what people taught per vendor and layout, if any
    # A candidate reading beside the models, deciding nothing (pipeline.shadow), if on.
    shadow: Shadow | None = None
    # ``CLERK_*`` read once: building each from the environment took about 1.2 ms, a
    # fortieth of a text-layer invoice's understanding (``bench --only text``).
    reading: ReadingSettings = field(default_factory=_reading_settings)
    validation: ValidateSettings = field(default_factory=_validate_settings)

    @classmethod
    def load(
        cls, registry: Registry | None = None, memory: MemorySource | None = None
    ) -> Understander:
        """The registry's models and, if ``CLERK_VENDOR_MASTER`` is set, the vendor master
        (``MASTER_DATA_UNAVAILABLE`` when that file cannot be used); ``memory``: the
        vendor memory of a Control Room (``extractors.memory``); with
        ``CLERK_SHADOW_CANDIDATE=1``, the candidate models as a shadow."""
        from classifiers import Classifier
        from extractors.extraction import FieldExtractor
        from extractors.vendor_master import VendorMaster
        from pipeline.shadow import Shadow

        vendors = VendorMaster.from_settings()
        return cls(
            Classifier.load(registry),
            FieldExtractor.load(registry),
            PolicySettings(),
            vendors,
            memory,
            Shadow.load(registry),
        )

    def is_stale(self, registry: Registry | None = None) -> bool:
        """The registry's current models (or candidates on trial) are not the loaded
        ones: a promotion, rollback or new candidate happened; load again."""
        from clerk.registry import Registry
        from pipeline.shadow import candidate_versions, enabled

        registry = registry if registry is not None else Registry()
        current = {kind: registry.current_version(kind) for kind in self.model_versions}
        if current != self.model_versions:
            return True
        if not enabled():
            return False
        shadowed = self.shadow.model_versions if self.shadow is not None else {}
        trial = candidate_versions(registry)
        return any(shadowed.get(kind) != version for kind, version in trial.items()) or (
            not trial and self.shadow is not None
        )

    @property
    def model_versions(self) -> dict[str, str]:
        return {
            "classifier": self.classifier.model_version,
            "extractor": self.extractor.model_version,
        }

    def understand(
        self,
        document: Document,
        image: bytes | None = None,
        *,
        doc_type: str | None = None,
        type_set_by: str | None = None,
    ) -> Understanding:
        """``document`` understood. ``image``: the image file the document was read from
        by OCR; a document that would go straight through then has the digits of its
        fields read a second time (``extractors.reading.second_reading``).

        ``doc_type``: a person's type for the document (``type_set_by``: who). The fields
        are then extracted for that type and it is decided on with type confidence 1.0;
        the classifier still runs (milliseconds), its view kept as ``top3``. Every other
        gate (fields, checks) is as it is for the classifier's type.

        A scanned image whose reading missed a required date or amount is read a second
        time with another page layout (``pipeline.read_again``)."""
        understanding = self._understand(document, image, doc_type, type_set_by)
        if image is None:
            return understanding
        from pipeline.read_again import read_again

        def again(second: Document) -> Understanding:  # read as the first reading's type
            return self._understand(second, None, understanding.doc_type, type_set_by)

        return read_again(image, document, understanding, again, self.policy, self.reading)

    def _understand(
        self,
        document: Document,
        image: bytes | None,
        doc_type: str | None,
        type_set_by: str | None,
    ) -> Understanding:
        from extractors.corroborate import corroborate, corroborate_rows
        from extractors.validate import labelled_but_unread, validate
        from extractors.vendor_master import check_vendor

        text = document.text
        if not text.strip():
            raise error(
                "UNREADABLE",
                f"no text could be read from {document.name} "
                f"({len(document.pages)} page(s), {document.text_source}); "
                "check the scan quality or send the original file",
            )
        classification = self.classifier.classify(text)
        if doc_type is None:
            doc_type, type_confidence = classification.label, classification.confidence
            type_set_by = None
        elif doc_type not in SCHEMAS:
            raise error(
                "BAD_PAYLOAD",
                f"the type set for {document.name} must be one of {', '.join(SCHEMAS)}, "
                f"got {doc_type!r}; set a known type on the review screen",
            )
        else:
            type_confidence, type_set_by = 1.0, type_set_by or "a person"
        fields, rows = self.extractor.extract_with_rows(document, doc_type)
        fields, vendor_check = check_vendor(doc_type, fields, self.vendors, text)
        fields, recalled = self._recall(document, doc_type, fields)
        values = {f.name: f.value for f in fields}
        row_values = [row.values() for row in rows]
        checks = (
            *validate(doc_type, values, settings=self.validation, rows=row_values),
            *labelled_but_unread(doc_type, values, text),
        )
        if vendor_check is not None:
            checks = (*checks, vendor_check)
        fields, checks = corroborate(doc_type, fields, checks, text, rows)
        rows = corroborate_rows(checks, rows)
        if recalled is not None:
            from extractors.corroborate import CONFIRMED_CONFIDENCE
            from extractors.memory import lift

            bar = self.policy.memory_confirmations
            fields, checks = lift(recalled, fields, checks, bar, CONFIRMED_CONFIDENCE)
        decision, reasons = decide(doc_type, type_confidence, fields, checks, self.policy, rows)
        if decision == "auto" and image is not None and document.text_source == "ocr":
            from extractors.reading.second_reading import second_readings

            checks = (*checks, *second_readings(fields, image, self.reading.ocr_languages))
            decision, reasons = decide(doc_type, type_confidence, fields, checks, self.policy, rows)
        return Understanding(
            document_sha256=document.sha256,
            document_name=document.name,
            doc_type=doc_type,
            type_confidence=type_confidence,
            top3=classification.top3,
            fields=fields,
            line_items=rows,
            checks=checks,
            decision=decision,
            reasons=reasons,
            model_versions=self.model_versions,
            text_source=document.text_source,
            pages=len(document.pages),
            page_sizes=page_sizes_of(document),
            shadow=self.shadow.read(document) if self.shadow is not None else None,
            type_set_by=type_set_by,
        )

    def _recall(
        self, document: Document, doc_type: str, fields: tuple[Field, ...]
    ) -> tuple[tuple[Field, ...], Recalled | None]:
        """``fields`` read again where the vendor memory says this vendor's layout prints
        them, if the memory knows the vendor and layout."""
        if self.memory is None:
            return fields, None
        from extractors.memory import choose, recall

        values = {f.name: f.value for f in fields}
        entry = choose(self.memory.entries(doc_type), document, doc_type, values)
        if entry is None:
            return fields, None
        return recall(entry, document, doc_type, fields)

    def understand_bytes(
        self, data: bytes, name: str, override: TypeOverride | None = None
    ) -> list[Outcome]:
        """Every document in a file (an e-mail holds several), each understood or failed;
        the document ``override`` names (by sha256) is read as the reviewer's type.

        One bad document never stops the others; an unexpected exception becomes an
        ``INTERNAL`` failure with its message, so a worker survives any one document."""
        from extractors import read_all

        try:
            result = read_all(data, name, self.reading)
        except ClerkError as exc:
            return [Failure.of(name, exc)]
        except Exception as exc:
            return [Failure.of(name, _internal(name, exc))]
        outcomes: list[Outcome] = [Failure.of(n, exc) for n, exc in result.failures]
        has_attachments = len(result.documents) > 1
        for document in result.documents:
            chosen = override if _names(override, document) else None
            # The file's own pixels, for a second reading: an image, not an attachment.
            image = data if document.mime.startswith("image/") and not has_attachments else None
            try:
                understanding = self.understand(
                    document,
                    image,
                    doc_type=chosen.doc_type if chosen else None,
                    type_set_by=chosen.set_by if chosen else None,
                )
                if has_attachments and _is_cover_note(document, understanding):
                    continue
                outcomes.append(understanding)
            except ClerkError as exc:
                outcomes.append(Failure.of(document.name, exc))
            except Exception as exc:
                outcomes.append(Failure.of(document.name, _internal(document.name, exc)))
        return outcomes

    def understand_path(self, path: Path) -> list[Outcome]:
        try:
            data = path.read_bytes()
        except OSError as exc:  # missing, a folder, no permission: nothing to read
            reason = exc.strerror or str(exc)
            message = f"cannot read {path}: {reason}; check the path and its permissions"
            return [Failure(str(path), "APPLICATION", "FILE_NOT_FOUND", message)]
        return self.understand_bytes(data, path.name)


def page_sizes_of(document: Document) -> tuple[tuple[float, float], ...]:
    """The reader's page sizes, or none when any page has no size (text, spreadsheet)."""
    sizes = tuple((page.width, page.height) for page in document.pages)
    return sizes if all(w > 0 and h > 0 for w, h in sizes) else ()


def _names(override: TypeOverride | None, document: Document) -> bool:
    """The reviewer's type is for this document of the file (an e-mail holds several)."""
    return override is not None and override.document_sha256 == document.sha256


def _is_cover_note(document: Document, understanding: Understanding) -> bool:
    """An e-mail body that is no business document while the mail carries attachments:
    the note that came with the documents, not work for a reviewer."""
    return document.mime == "message/rfc822" and understanding.doc_type == "other"


def _internal(name: str, exc: Exception) -> ApplicationError:
    return ApplicationError(
        "INTERNAL",
        f"unexpected {type(exc).__name__} while understanding {name}: {exc}; "
        "the worker kept going; report this with the file",
    )
