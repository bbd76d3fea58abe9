package org.framecache.proxy.testing;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Something a test class needs running (a store, a Redis), declared as
 * {@code @RegisterExtension static final XResource X = XResource.shared();}: it is started before the class (or when
 * its {@link #properties()} are first asked for, which the proxy under test does from its constructor), and hands back
 * the properties the proxy needs to use it. A resource of its own is stopped after the class; a shared one lives for
 * the whole run.
 */
public abstract class TestResource<T extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {
    private final boolean shared;
    private T started;

    protected TestResource(boolean shared) {
        this.shared = shared;
    }

    protected final boolean isShared() {
        return shared;
    }

    /** Starts the thing, or returns the run-wide one. */
    protected abstract T start();

    /** What the proxy needs to use {@code running}. */
    protected abstract Map<String, String> properties(T running);

    /** The running thing, started on first use. */
    public final synchronized T running() {
        if (started == null) {
            started = start();
        }
        return started;
    }

    /** The properties the proxy needs to use this resource; starts it if need be. */
    public final Map<String, String> properties() {
        return properties(running());
    }

    /** The properties of every resource, later ones winning. */
    public static Properties propertiesOf(TestResource<?>... resources) {
        Properties properties = new Properties();
        for (TestResource<?> resource : resources) {
            properties.putAll(resource.properties());
        }
        return properties;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        T running;
        synchronized (this) {
            running = started;
            if (!shared) {
                started = null;
            }
        }
        if (running != null && !shared) {
            running.close();
        }
    }
}
