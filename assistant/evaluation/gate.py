"""The gate: thresholds a run must meet, from eval/gate.toml and the command line."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.config import PROJECT_ROOT
from assistant.evaluation.errors import InvalidGate, describe
from assistant.evaluation.summary import GateOutcome, Summary, flat_values, known_names

GATE_FILE = PROJECT_ROOT / "eval" / "gate.toml"


def _known(bounds: dict[str, float]) -> dict[str, float]:
    unknown = sorted(set(bounds) - known_names())
    if unknown:
        raise ValueError(
            f"unknown metric(s) {', '.join(unknown)}; known: {', '.join(sorted(known_names()))}"
        )
    return bounds


class Bounds(BaseModel):
    """``minimum``: metric -> lowest value allowed; ``maximum``: metric -> highest allowed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    minimum: dict[str, float] = Field(default_factory=dict)
    maximum: dict[str, float] = Field(default_factory=dict)

    _names = field_validator("minimum", "maximum")(_known)


class Gate(Bounds):
    """Thresholds for the bundled run, and (``sets``) for a set run on its own: a held-out set
    is held to its own figures, not pooled into the bundled ones."""

    sets: dict[str, Bounds] = Field(default_factory=dict)

    def for_sets(self, names: list[str]) -> Gate:
        """The thresholds for a run of these set files: a set's own section when it runs
        alone, else the bundled ones."""
        if len(names) == 1 and names[0] in self.sets:
            own = self.sets[names[0]]
            return Gate(minimum=own.minimum, maximum=own.maximum)
        return Gate(minimum=self.minimum, maximum=self.maximum)

    @classmethod
    def from_toml(cls, path: Path) -> Gate:
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InvalidGate(f"cannot read the gate file {path}: {exc}") from None
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise InvalidGate(f"{path}: {describe(exc)}") from None

    @classmethod
    def of(cls, minimum: dict[str, float], maximum: dict[str, float]) -> Gate:
        try:
            return cls(minimum=minimum, maximum=maximum)
        except ValidationError as exc:
            raise InvalidGate(describe(exc)) from None

    def merged(self, other: Gate) -> Gate:
        """This gate with ``other``'s thresholds taking precedence."""
        return Gate(
            minimum={**self.minimum, **other.minimum}, maximum={**self.maximum, **other.maximum}
        )

    @property
    def empty(self) -> bool:
        return not self.minimum and not self.maximum

    def check(self, summary: Summary) -> GateOutcome:
        """Which thresholds the run misses. A metric of a set that was not run is "not
        measured", not a failure; a metric of a set that ran but has no value fails."""
        values = flat_values(summary)
        failures, failing, not_measured = [], [], []
        bounds = [(n, ">=", v) for n, v in self.minimum.items()]
        bounds += [(n, "<=", v) for n, v in self.maximum.items()]
        for name, op, bound in bounds:
            if name not in values:
                not_measured.append(name)
                continue
            value = values[name]
            if value is None:
                failures.append(f"{name}: no value (nothing to measure), needs {op} {bound:g}")
            elif (value < bound) if op == ">=" else (value > bound):
                failures.append(f"{name} = {value:g}, needs {op} {bound:g}")
            else:
                continue
            failing.append(name)
        return GateOutcome(
            passed=not failures,
            thresholds={name: f"{op} {bound:g}" for name, op, bound in bounds},
            failures=failures,
            failing=failing,
            not_measured=not_measured,
        )
