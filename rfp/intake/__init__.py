"""Vendor intake without Flask: portal tokens, the Excel questionnaire and its parser,
and the safety checks every uploaded workbook passes before it is opened.

The web views (rfp/web/portal.py, rfp/web/intake.py) and the operations
(rfp/operations/intake.py) build on these plain functions.
"""
