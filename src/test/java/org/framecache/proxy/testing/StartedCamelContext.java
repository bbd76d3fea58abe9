package org.framecache.proxy.testing;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * For unit tests of beans that take an Exchange: one started context per test class. Started, as under
 * platform-http: only a started context gives messages case-insensitive headers.
 */
public abstract class StartedCamelContext {
    protected static CamelContext context;

    @BeforeAll
    static void startContext() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterAll
    static void stopContext() throws Exception {
        context.close();
    }
}
