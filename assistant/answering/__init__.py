"""Grounded answers: understand the question, pick the call's sentences, cite them, verify."""
