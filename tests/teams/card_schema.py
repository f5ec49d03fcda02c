"""A compact JSON schema for the Adaptive Cards journeybot emits: the 1.5 schema's required fields
for exactly the elements and actions we use, and nothing we do not use (so a new element type is a
deliberate change here too)."""

from __future__ import annotations

from typing import Any

import jsonschema

_TEXT = {
    "type": "object",
    "required": ["type", "text"],
    "properties": {
        "type": {"const": "TextBlock"},
        "text": {"type": "string"},
        "wrap": {"const": True},
        "weight": {"enum": ["Default", "Lighter", "Bolder"]},
        "size": {"enum": ["Default", "Small", "Medium", "Large", "ExtraLarge"]},
        "separator": {"type": "boolean"},
        "spacing": {"enum": ["None", "Small", "Default", "Medium", "Large", "ExtraLarge", "Padding"]},
        "isSubtle": {"type": "boolean"},
        "color": {"enum": ["Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention"]},
    },
    "additionalProperties": False,
}
_FACTSET = {
    "type": "object",
    "required": ["type", "facts"],
    "properties": {
        "type": {"const": "FactSet"},
        "facts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["title", "value"],
                "properties": {"title": {"type": "string"}, "value": {"type": "string"}},
                "additionalProperties": False,
            },
        },
        "separator": {"type": "boolean"},
        "spacing": {"type": "string"},
    },
    "additionalProperties": False,
}
_CONTAINER = {
    "type": "object",
    "required": ["type", "items"],
    "properties": {
        "type": {"const": "Container"},
        "style": {"enum": ["default", "emphasis", "good", "attention", "warning", "accent"]},
        "items": {"type": "array", "items": _TEXT},
        "separator": {"type": "boolean"},
        "spacing": {"type": "string"},
    },
    "additionalProperties": False,
}
_IMAGE = {
    "type": "object",
    "required": ["type", "url"],
    "properties": {
        "type": {"const": "Image"},
        "url": {"type": "string"},
        "altText": {"type": "string"},
        "separator": {"type": "boolean"},
        "spacing": {"type": "string"},
    },
    "additionalProperties": False,
}
_CHOICE = {"type": "object", "required": ["title", "value"], "properties": {"title": {}, "value": {}}}
_INPUT_TEXT = {
    "type": "object",
    "required": ["type", "id"],
    "properties": {"type": {"const": "Input.Text"}, "id": {"type": "string", "minLength": 1}},
}
_INPUT_CHOICES = {
    "type": "object",
    "required": ["type", "id", "choices"],
    "properties": {
        "type": {"const": "Input.ChoiceSet"},
        "id": {"type": "string", "minLength": 1},
        "choices": {"type": "array", "items": _CHOICE},
    },
}
_INPUT_DATE = {
    "type": "object",
    "required": ["type", "id"],
    "properties": {"type": {"const": "Input.Date"}, "id": {"type": "string", "minLength": 1}},
}
_INPUT_TOGGLE = {
    "type": "object",
    "required": ["type", "id", "title"],
    "properties": {"type": {"const": "Input.Toggle"}, "id": {"type": "string", "minLength": 1}},
}
_DATA = {"type": "object"}
_SUBMIT = {
    "type": "object",
    "required": ["type", "title", "data"],
    "properties": {"type": {"const": "Action.Submit"}, "title": {"type": "string"}, "data": _DATA},
    "additionalProperties": False,
}
_EXECUTE = {
    "type": "object",
    "required": ["type", "title", "verb", "data", "fallback"],
    "properties": {
        "type": {"const": "Action.Execute"},
        "title": {"type": "string", "minLength": 1},
        "verb": {"type": "string", "minLength": 1},
        "data": _DATA,
        "style": {"enum": ["default", "positive", "destructive"]},
        "fallback": _SUBMIT,
    },
    "additionalProperties": False,
}
CARD_SCHEMA = {
    "type": "object",
    "required": ["type", "version", "body"],
    "properties": {
        "type": {"const": "AdaptiveCard"},
        "version": {"const": "1.5"},
        "$schema": {"type": "string"},
        "fallbackText": {"type": "string"},
        "body": {
            "type": "array",
            "minItems": 1,
            "items": {
                "oneOf": [
                    _TEXT,
                    _FACTSET,
                    _CONTAINER,
                    _IMAGE,
                    _INPUT_TEXT,
                    _INPUT_CHOICES,
                    _INPUT_DATE,
                    _INPUT_TOGGLE,
                ]
            },
        },
        "actions": {"type": "array", "items": _EXECUTE},
    },
    "additionalProperties": False,
}


def validate_card(card: dict[str, Any]) -> None:
    jsonschema.validate(card, CARD_SCHEMA)
