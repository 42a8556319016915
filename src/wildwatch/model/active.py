"""The model the server scores with, and how an analyst replaces it.

The server uses, in this order: the file ``WILDWATCH_MODEL_FILE`` names; the model an analyst
promoted, ``DATA_DIR/models/active.zip``; the model shipped in the package. Promoting copies a
model file to ``active.zip`` and keeps the one it replaces as ``previous.zip``, so rolling back
is promoting ``previous.zip`` (the two swap).
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass
from pathlib import Path

from wildwatch.model.artifact import ModelFileError, RiskModel, default_model_path, load_model
from wildwatch.settings import Settings

ACTIVE_FILE = "active.zip"
PREVIOUS_FILE = "previous.zip"


class ModelOrigin(enum.StrEnum):
    """Why the server uses the model it uses."""

    SETTING = "setting"
    PROMOTED = "promoted"
    SHIPPED = "shipped"


@dataclass(frozen=True, slots=True)
class ActiveModel:
    """The model file the server loads: ``path`` is None for the shipped model."""

    path: Path | None
    origin: ModelOrigin

    def describe(self) -> str:
        if self.origin is ModelOrigin.SETTING:
            return f"{self.path}, named by WILDWATCH_MODEL_FILE"
        if self.origin is ModelOrigin.PROMOTED:
            return f"{self.path}, promoted by an analyst"
        return f"shipped with wildwatch: {default_model_path()}"

    def load(self) -> RiskModel:
        return load_model(self.path)


def models_dir(settings: Settings) -> Path:
    return settings.data_dir / "models"


def active_model(settings: Settings) -> ActiveModel:
    """The model file the server started with ``settings`` scores with."""
    if settings.model_file is not None:
        return ActiveModel(settings.model_file, ModelOrigin.SETTING)
    promoted = models_dir(settings) / ACTIVE_FILE
    if promoted.is_file():
        return ActiveModel(promoted, ModelOrigin.PROMOTED)
    return ActiveModel(None, ModelOrigin.SHIPPED)


class PromotionError(ValueError):
    """A model cannot be promoted; the message says why."""


@dataclass(frozen=True, slots=True)
class Promotion:
    """What a promotion (or a rollback) did."""

    model: RiskModel
    """The model the server uses from its next start."""
    active: Path | None
    """Its file: ``active.zip``, or None for the shipped model."""
    replaced: str | None
    """The version ``active.zip`` held before (now ``previous.zip``), or None."""


def promote(source: Path, settings: Settings) -> Promotion:
    """Copy the model file ``source`` to ``DATA_DIR/models/active.zip``, keeping the model it
    replaces as ``previous.zip``. The file must load (its content must match its version);
    promoting the active model again changes nothing and raises :class:`PromotionError`."""
    try:
        model = load_model(source)
    except ModelFileError as exc:
        raise PromotionError(str(exc)) from None
    folder = models_dir(settings)
    active, previous = folder / ACTIVE_FILE, folder / PREVIOUS_FILE
    data = source.read_bytes()  # before moving anything: promoting previous.zip swaps the two
    replaced: str | None = None
    if active.is_file():
        try:
            replaced = load_model(active).version
        except ModelFileError:
            replaced = "(unreadable)"
        if replaced == model.version:
            raise PromotionError(f"{source} holds {model.version}, which is already the "
                                 "active model; nothing changed")
    folder.mkdir(parents=True, exist_ok=True)
    staged = folder / f".{ACTIVE_FILE}.incoming"
    staged.write_bytes(data)
    if active.is_file():
        os.replace(active, previous)
    os.replace(staged, active)
    return Promotion(model, active, replaced)


def roll_back(settings: Settings) -> Promotion:
    """Go back to the model used before the last promotion or rollback: ``previous.zip`` and
    ``active.zip`` swap; where one of them is missing, the shipped model stands for it (after a
    first promotion, ``active.zip`` is set aside as ``previous.zip``)."""
    folder = models_dir(settings)
    active, previous = folder / ACTIVE_FILE, folder / PREVIOUS_FILE
    if previous.is_file() and active.is_file():
        return promote(previous, settings)  # the two swap
    if previous.is_file():  # the shipped model was in use: previous.zip comes back
        try:
            model = load_model(previous)
        except ModelFileError as exc:
            raise PromotionError(str(exc)) from None
        os.replace(previous, active)
        return Promotion(model, active, None)
    if not active.is_file():
        raise PromotionError(f"no model was promoted in {folder}: the server uses the shipped "
                             "model already")
    try:
        replaced: str | None = load_model(active).version
    except ModelFileError:
        replaced = "(unreadable)"
    os.replace(active, previous)
    return Promotion(load_model(), None, replaced)
