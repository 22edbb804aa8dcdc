"""Placeholder: routes for this part of the site are added by its issue."""

from __future__ import annotations

import jinja2
from fastapi import FastAPI

from airegister.web.context import AppContext


def register(app: FastAPI, context: AppContext, environment: jinja2.Environment) -> None:
    """Add this module's routes to the app."""
