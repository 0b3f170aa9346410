"""Reports built from one result: a console table, the Excel workbook, the PDF summary.

Builders are pure functions returning text or bytes; views and commands only send or
save what they return.
"""
