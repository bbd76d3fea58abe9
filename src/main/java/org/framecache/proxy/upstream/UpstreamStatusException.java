package org.framecache.proxy.upstream;

import org.framecache.proxy.http.ProxyException;

/** The store answered with a status the client must see as it is (400, 401, 403, 404, 410...). */
public class UpstreamStatusException extends ProxyException {
    private final String wwwAuthenticate;

    public UpstreamStatusException(int status, String message, String wwwAuthenticate) {
        super(status, message);
        this.wwwAuthenticate = wwwAuthenticate;
    }

    @Override
    public String getWwwAuthenticate() {
        return wwwAuthenticate;
    }
}
