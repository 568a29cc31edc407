"""Helpers shared by every app's tests (not shipped code)."""
