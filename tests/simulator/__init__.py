"""A simulated Grandstream phone speaking the HTTP CTI API (see README.md)."""

from .action_url import ActionUrlRequest
from .families import FAMILIES, Family
from .faults import AuthAnswer, Faults, UnknownFunctionAnswer
from .models import MODELS, ModelProfile
from .server import PhoneSimulator, RecordedRequest, SimEvent
from .state import Account, Line, Station

__all__ = [
    "FAMILIES",
    "MODELS",
    "Account",
    "ActionUrlRequest",
    "AuthAnswer",
    "Faults",
    "Family",
    "Line",
    "ModelProfile",
    "PhoneSimulator",
    "RecordedRequest",
    "SimEvent",
    "Station",
    "UnknownFunctionAnswer",
]
