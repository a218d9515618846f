"""The service package; README.md says what it does and how to run it."""

SERVICE_NAME = "{{ cookiecutter.service_name }}"
__version__ = "0.1.0"
