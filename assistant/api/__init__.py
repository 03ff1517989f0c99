"""The HTTP API: a thin FastAPI layer over the same Services as the CLI.

``create_app`` (in ``assistant.api.app``) is the factory ``assistant serve`` hands to uvicorn.
Nothing heavy is imported here, so importing the package stays cheap.
"""
