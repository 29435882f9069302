# The application servers behind deploy/varnish/dateline.vcl, written by
# deploy/varnish/backends.py (`python3 deploy/varnish/backends.py HOST:PORT ...`); `make stack`
# writes its own for STACK_APP_PORTS. One backend and one add_backend() line per server; Varnish
# sends each request to the next healthy one (a server that fails its health check gets none).
# The check asks whether the server answers, not whether the database does: the database is
# every server's, and the site answers better without it than Varnish would (decision 0095).
probe dateline_health {
    .url = "/healthz/process";
    .interval = 2s;
    .timeout = 2s;
    .window = 3;
    .threshold = 2;
}

backend app1 {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = dateline_health;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}

backend app2 {
    .host = "127.0.0.1";
    .port = "8002";
    .probe = dateline_health;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app1);
    app.add_backend(app2);
}
