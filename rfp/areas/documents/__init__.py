"""Documents: the slots a lead asks vendors to fill, vendors' uploads through the portal,
the RFP's own documents, and the safe streaming of each back to those who may read it."""
