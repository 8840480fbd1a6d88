"""Where the candidate stands: progress figures, readiness, the review heatmap, the report.

Pure computations over data passed in; `studyplan.app.report.stats_for` gathers that data
from a workspace.
"""
