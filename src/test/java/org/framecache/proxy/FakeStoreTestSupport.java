package org.framecache.proxy;

import java.util.Properties;

import org.framecache.proxy.testing.FakeDicomWebStore;
import org.junit.jupiter.api.AfterAll;

/** The real application in front of a {@link FakeDicomWebStore} the test scripts. */
public abstract class FakeStoreTestSupport extends ProxyTestSupport {
    protected FakeDicomWebStore store;

    /** Properties beyond the upstream URL; none by default. */
    protected void moreProperties(Properties properties) {
    }

    @Override
    protected final Properties testProperties() {
        store = FakeDicomWebStore.start();
        Properties properties = new Properties();
        properties.setProperty("proxy.upstream-url", store.dicomWebUrl());
        moreProperties(properties);
        return properties;
    }

    @AfterAll
    void stopStore() {
        store.close();
    }
}
