"""The alternative production server's configuration (`make serve APP_SERVER=gunicorn`;
`gunicorn -c deploy/gunicorn.conf.py`). The shipped one is granian: deploy/granian_server.py,
docs/decisions/0085-granian.md.

Why each setting (docs/operations.md, "Failure and recovery"):

- ``preload_app``: the master imports ``dateline.wsgi`` once, which loads scikit-learn, the
  learned filters, every view and the main templates (``dateline.wsgi.warm_site``), then forks
  the workers. A worker takes its first request with all of it in memory: no comment waits for
  scikit-learn after a restart, and a restarted worker is back in milliseconds.
- ``gthread`` workers: a connection that sends nothing does not hold a worker. Gunicorn's
  threaded worker waits for a request's first bytes without committing a thread for longer than
  5 s, and the other threads keep serving. The old sync workers each read one client at a time:
  two idle connections held both workers of a two-core machine until the 30 s timeout killed
  them (``/healthz`` took 50 s).
- ``threads``: a request sent half-way keeps one thread until the client goes; ``threads`` per
  worker bound how many of those a worker shrugs off. Many slow clients at once are the job of a
  buffering proxy in front (Varnish or nginx: deploy/, docs/operations.md), which sends
  gunicorn only whole requests.

- ``keepalive`` 0: a connection is closed after its answer. A kept-alive connection stays with
  the worker that accepted it, and a gthread worker runs Python on one core at a time, so a few
  busy clients (a proxy's pooled connections, a load generator's 32) could all sit on one worker
  while the other core idled: measured with wrk -c32 on two workers, a 32/0 split served 154
  req/s with the second worker at 0 % CPU, an even split 314–320; with keepalive 0 both workers
  stayed at 89–95 % in every run (docs/performance.md, "A quieter machine"). A new connection
  on loopback, or from the front proxy, costs far less than an idle core. A connection that sends
  nothing for 5 s is closed then (gthread's wait for a first request, then the keepalive timeout).
Every value can be changed from the environment (``WEB_CONCURRENCY``, ``GUNICORN_THREADS``,
``GUNICORN_TIMEOUT``, ``GUNICORN_KEEPALIVE``, ``GUNICORN_BIND``) or the command line.
"""

import os

wsgi_app = "dateline.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

preload_app = True
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# A worker whose main loop has been silent this long is restarted. With threads this catches a
# stuck process, not a slow request (that runs in a thread while the loop goes on).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Idle kept-alive connections are closed after this many seconds.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "0"))
# Headers: the defaults' limits, said here so a change is a decision.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# Workers' heartbeat files: `make serve` puts them in memory (--worker-tmp-dir /dev/shm).
# gunicorn's control socket sits at one path per user ($HOME/.gunicorn/gunicorn.ctl), which two
# servers on one machine would share; the site is managed with signals instead.
control_socket_disable = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
