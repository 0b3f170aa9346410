"""Addenda: changes to the RFP published to every vendor while it is open, and each
vendor's acknowledgement, which its submission waits for."""
