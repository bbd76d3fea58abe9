package org.framecache.proxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class RedisProcessTest {

    @Test
    void startKillRestart() throws IOException {
        try (RedisProcess redis = RedisProcess.start()) {
            assertTrue(redis.port() > 0);
            assertEquals("redis://127.0.0.1:" + redis.port(), redis.url());
            assertEquals("+PONG", redis.ping());

            redis.kill();
            assertThrows(IOException.class, redis::ping, "nothing listens after SIGKILL");

            redis.restart();
            assertEquals("+PONG", redis.ping());

            redis.stop();
            assertThrows(IOException.class, redis::ping, "nothing listens after stop");
        }
    }

    @Test
    void sharedInstanceIsReused() throws IOException {
        assertTrue(RedisProcess.shared() == RedisProcess.shared());
        assertEquals("+PONG", RedisProcess.shared().ping());
    }
}
