package org.framecache.proxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** The life of a resource: started once on first use, stopped after its class only if it is the class's own. */
class TestResourceTest {

    /** Counts its starts; each thing started knows whether it was closed. */
    private static final class Counted extends TestResource<Counted.Thing> {
        final String url;
        int starts;

        static final class Thing implements AutoCloseable {
            boolean closed;

            @Override
            public void close() {
                closed = true;
            }
        }

        Counted(boolean shared, String url) {
            super(shared);
            this.url = url;
        }

        @Override
        protected Thing start() {
            starts++;
            return new Thing();
        }

        @Override
        protected Map<String, String> properties(Thing running) {
            return Map.of("proxy.upstream-url", url, "from." + url, "yes");
        }
    }

    @Test
    void anOwnResourceStartsOnceAndIsStoppedAfterItsClass() throws Exception {
        Counted own = new Counted(false, "a");
        own.properties(); // as the proxy under test asks, from its constructor
        Counted.Thing asked = own.running();
        own.beforeAll(null);
        assertSame(asked, own.running());
        assertEquals(1, own.starts, "properties(), running() and beforeAll share one start");

        own.afterAll(null);
        assertTrue(asked.closed);
        assertNotSame(asked, own.running(), "a later class gets a new one");
        assertEquals(2, own.starts);
    }

    @Test
    void aSharedResourceOutlivesTheClass() throws Exception {
        Counted shared = new Counted(true, "s");
        shared.beforeAll(null);
        Counted.Thing running = shared.running();
        shared.afterAll(null);
        assertFalse(running.closed);
        assertSame(running, shared.running());
        assertEquals(1, shared.starts);
    }

    @Test
    void propertiesOfEveryResourceLaterOnesWinning() {
        Properties properties = TestResource.propertiesOf(new Counted(true, "a"), new Counted(false, "b"));
        assertEquals("b", properties.getProperty("proxy.upstream-url"));
        assertEquals("yes", properties.getProperty("from.a"));
        assertEquals("yes", properties.getProperty("from.b"));
    }
}
