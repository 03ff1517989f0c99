"""call-assistant: grounded answers and an eligibility pre-check for one recruitment call."""
