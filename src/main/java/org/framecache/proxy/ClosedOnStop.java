package org.framecache.proxy;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/** What a configuration made that holds threads or connections, closed when the context stops. */
final class ClosedOnStop {
    private ClosedOnStop() {
    }

    static void register(CamelContext context, String what, Runnable close) {
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    close.run();
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot register " + what + " for shutdown", e);
        }
    }
}
