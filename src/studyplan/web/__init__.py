"""The web page: a second edge beside the command line, over the same use cases (`app`).

`studyplan serve` starts it (`server.serve`); `app.create_app` holds the routes, `guard` what
keeps the server to its own pages, `templates/` and `static/` what the browser receives.
"""
