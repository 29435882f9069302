# Dateline behind Varnish 7.1 (Debian bookworm: packages varnish and varnish-modules).
#
# What it does (docs/operations.md, "The front cache"):
# - keeps what the site marks public (Cache-Control: public, s-maxage=N,
#   stale-while-revalidate=M) for N seconds; once it has expired (or been purged), serves the old
#   copy for half a second at most while it fetches a fresh one, and for up to M seconds when
#   every app server is sick; never keeps anything private, no-store, or with a Set-Cookie;
# - indexes every object under the keys of its xkey header (the page cache's dependency names:
#   content, listings, article:<id>) and expires them on "PURGE" with an xkey header, which the
#   site sends after every change (dateline.core.frontcache), only from the purgers ACL below;
# - passes every request carrying one of the site's cookies (a session, a reader's pending
#   comment, a message) and every POST; strips every other cookie from the GETs it may cache;
# - reads a whole POST body before it calls the application, and fetches a whole answer at the
#   application's speed, so a slow client never holds an application worker.
#
# The application servers are in dateline-backends.vcl (found on vcl_path): edit that file, or
# put your own first on the path (varnishd -p vcl_path=/etc/dateline:/usr/share/varnish/vcl...).
vcl 4.1;

import std;
import directors;
import xkey;

include "dateline-backends.vcl";

# Who may purge: this machine, and the application servers' network when they are elsewhere.
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
}

# Cookies that make an answer one reader's own: Django's session, the reader's pending comment,
# Django's messages. (csrftoken alone does not: only signed-in pages and forms use it, and those
# answer with a Set-Cookie, which is never kept.)
sub dateline_personal {
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|dl_own|messages)=") {
        return (pass);
    }
}

sub vcl_recv {
    set req.backend_hint = app.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey) {
            # Soft: the objects expire now but stay in grace, so the next request fetches the
            # new page in the background while the readers of a hot page keep being answered
            # (a hard purge would make all of them wait for one render), for half a second at
            # most (req.grace below), and for as long as every app server is sick.
            set req.http.X-Purged = xkey.softpurge(req.http.xkey);
        } else {
            set req.http.X-Purged = "0";
        }
        return (synth(200, "Purged"));
    }
    if (req.method == "BAN" || req.method == "REFRESH") {
        return (synth(405, "Method Not Allowed"));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
            # Read the whole body first (up to 16 MB: a comment, an editor's upload); a slow
            # sender then costs a Varnish thread, not an application worker.
            std.cache_req_body(16MB);
        }
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # The newsroom and the API's staff endpoints are never shared.
    if (req.url ~ "^/(admin|django-admin)(/|$)") {
        return (pass);
    }
    # A signed-in reader's own pages (DATELINE_READER_PATHS: their page, the state the page's
    # script asks for, newsletter preferences) are answered with the reader cookie, never kept.
    # Everywhere else the reader cookie is stripped below: readers get the shared pages.
    if (req.url ~ "^/(readers|newsletters)/") {
        return (pass);
    }

    # Tracking parameters change nothing on the page: drop them so a link shared with
    # ?utm_source=... is the same cached page (the site answers unknown parameters privately).
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)=") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }

    # Varnish keeps pages gzipped for clients that take gzip (it has rewritten Accept-Encoding
    # to "gzip" or removed it), and a plain copy for the others (crawlers, health checks,
    # benchmarks): gunzipping a 200 KB page for each of them would cost more than storing it.
    if (!req.http.Accept-Encoding) {
        set req.http.X-Dateline-Plain = "1";
    }

    # A page that expired or was purged is served stale (its grace: stale-while-revalidate)
    # while Varnish fetches the new one, but for no longer than half a second while an app
    # server is healthy: after that, readers wait for that one fetch (Varnish makes it once for
    # all of them), so a change shows within a second even when the machine is too busy to
    # finish the fetch promptly. Only when every app server is sick are stale pages served for
    # the whole grace, instead of an error.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 0.5s;
    }

    if (req.http.Cookie) {
        call dateline_personal;
        # Anything else (analytics, the comment form's remembered name) is read by scripts in
        # the browser; the site's pages do not depend on it.
        unset req.http.Cookie;
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    if (req.http.X-Dateline-Plain) {
        hash_data("plain");
    }
    if (req.http.host) {
        hash_data(req.http.host);
    } else {
        hash_data(server.ip);
    }
    return (lookup);
}

sub vcl_backend_fetch {
    if (bereq.http.X-Dateline-Plain) {
        unset bereq.http.Accept-Encoding;
    }
    unset bereq.http.X-Dateline-Plain;
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(private|no-store|no-cache)"
        || beresp.http.Cache-Control !~ "(s-maxage|max-age)=[1-9]"
        || beresp.http.Surrogate-Control ~ "no-store"
        || beresp.http.Vary == "*") {
        # Fetch it for every request for a while (a hit-for-miss: the next public answer for
        # this address is kept again).
        set beresp.ttl = 60s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # beresp.ttl comes from s-maxage, beresp.grace from stale-while-revalidate (Varnish reads
    # both). Keep the object a little longer to answer a browser's If-None-Match with a 304.
    set beresp.keep = 1m;
    return (deliver);
}

sub vcl_backend_error {
    # The server did not answer (refused, reset, timed out): an app server that just stopped
    # or was restarted for a deploy stays "healthy" until its probe fails (seconds). A GET or
    # HEAD changes nothing, so it is tried once more; the round robin sends it to the next
    # server. A POST is not (it may have been received), but for a comment: the site stores
    # the same commenter's same text on an article once, and answers a repeat with the comment
    # it has, so the reader's comment is posted instead of lost on a 503 page (decision 0095;
    # its body is still here, std.cache_req_body in vcl_recv).
    if (bereq.retries < 1 && (bereq.method ~ "^(GET|HEAD)$"
            || (bereq.method == "POST" && bereq.url ~ "^/comments/post/(\?|$)"))) {
        return (retry);
    }
}

sub vcl_deliver {
    # The surrogate keys are for caches, not readers.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.X-Varnish;
    unset resp.http.Via;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "pass";
    } else if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
    # Browsers ask again every time (a reader may sign in or post the next minute): s-maxage and
    # stale-while-revalidate were for this cache.
    if (resp.http.Cache-Control ~ "s-maxage") {
        set resp.http.Cache-Control = "public, max-age=0, must-revalidate";
    }
}

sub vcl_synth {
    if (req.method == "PURGE") {
        set resp.http.X-Purged = req.http.X-Purged;
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + ": " + req.http.X-Purged + {"
"};
        return (deliver);
    }
}
