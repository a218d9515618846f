"""Print the app's OpenAPI document: ``python -m {{ cookiecutter.__package_name }}.openapi > openapi.json``.

openapi.json is what the Backstage API entity (catalog-info.yaml) shows; a test keeps it current.
"""

from __future__ import annotations

import json

from .app import create_app
from .settings import Settings

if __name__ == "__main__":
    print(json.dumps(create_app(Settings.from_env({})).openapi(), indent=2))
