"""Reports: the workbook and the PDF summary, built off the request as background jobs
of kind "report" (rfp.core.jobs), kept under EXPORT_DIR and listed on the evaluation."""

from rfp.core.jobs import register_kind

# Importing the area (the app, `rfp worker`, `rfp run-jobs`) says who runs report jobs.
register_kind("report", "rfp.areas.reports.operations:build_report_job")
