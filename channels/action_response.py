"""Check action server responses against Rasa's schema without re-checking the schema each time.

Rasa 3.6 validates every action server response with ``jsonschema.validate(response,
schema)`` (``RemoteAction._validate_action_result``), and ``validate`` first checks the
schema itself against the JSON Schema meta-schema (draft 2020-12): 20-40 ms of CPU per
turn, more than our whole NLU pipeline, measured with ``make bench``. The schema is a
constant, so it is checked once here and one validator is reused. The same responses
pass and fail as before, with the same error.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Dict, Text, Type

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

# Rasa's own addition to the message (rasa/core/actions/action.py).
_HELP = (". Failed to validate Action server response from API, make sure your response from the Action "
         f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions")


@cache
def _validator(action_class: Type[RemoteAction]) -> Any:
    schema = action_class.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the checked schema reused."""
    error = exceptions.best_match(_validator(type(self)).iter_errors(result))
    if error is not None:
        error.message += _HELP
        raise error
    return True


def check_action_responses_with_one_validator() -> None:
    """Install the faster check for this process (idempotent; called at channel start-up)."""
    RemoteAction._validate_action_result = _validate_action_result
