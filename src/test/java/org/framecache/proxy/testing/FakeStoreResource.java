package org.framecache.proxy.testing;

import java.util.Map;

/** A {@link FakeDicomWebStore} of the class's own, which the test scripts, as the proxy's store. */
public final class FakeStoreResource extends TestResource<FakeDicomWebStore> {

    private FakeStoreResource() {
        super(false);
    }

    public static FakeStoreResource own() {
        return new FakeStoreResource();
    }

    @Override
    protected FakeDicomWebStore start() {
        return FakeDicomWebStore.start();
    }

    @Override
    protected Map<String, String> properties(FakeDicomWebStore store) {
        return Map.of("proxy.upstream-url", store.dicomWebUrl());
    }
}
