"""The API's routes: each parses, calls the domain once and returns its model."""
