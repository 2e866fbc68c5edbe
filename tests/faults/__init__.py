"""The topology broken on purpose, on servers the tests start and stop themselves: Redis
restarted with tasks queued, a Celery worker process killed with SIGKILL mid-check and
mid-email, PostgreSQL stopped in the middle of a burst of claims and swaps through bin/serve.
Each test counts what was made, announced and sent against what should have been.

They need Debian's postgresql package (initdb, pg_ctl) and redis-server, and run in the
ordinary suite (bin/test, .ci/run), under a minute and a half in all.
"""
