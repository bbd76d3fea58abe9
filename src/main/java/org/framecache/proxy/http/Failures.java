package org.framecache.proxy.http;

import java.util.Objects;
import java.util.stream.Stream;

import org.apache.camel.Exchange;

/** What an exchange failed with: its exception (or the one a doCatch caught) and that exception's causes, in order. */
public final class Failures {

    private Failures() {
    }

    public static Stream<Throwable> of(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return Stream.iterate(failure, Objects::nonNull, t -> t.getCause() == t ? null : t.getCause());
    }
}
