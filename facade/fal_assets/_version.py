"""The package version, in one place: pyproject.toml reads it from here (hatch's version source)."""

__version__ = "0.1.0"
USER_AGENT = f"fal-assets-python/{__version__}"
