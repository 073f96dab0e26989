"""The forms' data model and validation. Pure Python: no Qt, no database, no files but forms/."""

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form, RiskPoint
from lianzheng_desktop.domain.problems import Problem
from lianzheng_desktop.domain.validation import validate

__all__ = ["Form", "Problem", "RiskPoint", "definitions", "validate"]
