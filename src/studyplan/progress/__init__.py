"""Where the candidate stands: progress figures, readiness, the review heatmap, the HTML page.

Pure computations over data passed in; `report.stats_for` gathers that data from a workspace.
"""
