"""
Gunicorn's settings for the service, read from the folder it starts in (the
project's root, as in the Dockerfile and docker-compose.yml). Everything else
is given on the command line.
"""

import gc


def post_worker_init(worker) -> None:
    """Once a worker has loaded the service, leave what it loaded (Django,
    the models, the settings: long-lived and never garbage) out of the
    garbage collector's passes. Otherwise each full pass walks all of it,
    about a hundred milliseconds that fall on whichever request is running.
    Objects made after this are collected as before."""
    gc.freeze()
