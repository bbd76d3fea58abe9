package org.framecache.proxy.cache;

import java.util.function.Supplier;

import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The Redis client (one server, Sentinel or cluster: {@link RedisSettings#connector()}), opened on first use: a
 * cluster or sentinels unreachable when the proxy starts are a Redis that is away (misses; tried again after the
 * retry time), not a proxy that cannot start. Once open, the client reconnects by itself.
 */
final class RedisConnection implements AutoCloseable {
    /** Opens the client: on first use, and again after a failed attempt once the retry time has passed. */
    private final Supplier<RedisSettings.Client> connector;
    private final RedisBackOff backOff;
    private final Object connecting = new Object();
    private volatile RedisSettings.Client client;
    private volatile String lastConnectFailure = "";

    RedisConnection(Supplier<RedisSettings.Client> connector, RedisBackOff backOff) {
        this.connector = connector;
        this.backOff = backOff;
    }

    /**
     * The client. One caller opens it; the others wait for that attempt (bounded by the connect timeout per node)
     * and do not repeat a failed one while the whole of Redis is backed off.
     *
     * @throws JedisException when it cannot be opened
     */
    RedisSettings.Client client() {
        RedisSettings.Client open = client;
        if (open != null) {
            return open;
        }
        synchronized (connecting) {
            if (client == null) {
                if (backOff.away(RedisBackOff.WHOLE)) {
                    throw new JedisConnectionException("not connected: " + lastConnectFailure);
                }
                try {
                    client = connector.get();
                } catch (RuntimeException e) {
                    lastConnectFailure = e.getMessage();
                    throw e instanceof JedisException known ? known : new JedisConnectionException(e.getMessage(), e);
                }
            }
            return client;
        }
    }

    @Override
    public void close() {
        synchronized (connecting) {
            if (client != null) {
                client.close();
            }
        }
    }
}
