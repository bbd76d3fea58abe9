package org.framecache.proxy;

import java.time.Duration;
import java.util.Optional;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.framecache.proxy.cache.ByteCache;
import org.framecache.proxy.cache.EncryptedByteCache;
import org.framecache.proxy.cache.MemoryByteCache;
import org.framecache.proxy.cache.RedisByteCache;
import org.framecache.proxy.cache.RedisSettings;
import org.framecache.proxy.cache.TieredByteCache;
import org.framecache.proxy.cache.ValueCipher;
import org.framecache.proxy.frames.FrameCache;
import org.framecache.proxy.frames.InFlightBytes;
import org.slf4j.LoggerFactory;

/**
 * Where frames are kept: the in-process tier always, Redis behind it when configured (shared by the replicas),
 * its values sealed when cache.encryption-key is set; and the one count of bytes the requests in flight hold.
 */
public class CacheConfiguration implements CamelConfiguration {
    /** The shared tier's name in the registry when its values are encrypted (for its meters). */
    static final String ENCRYPTED_SHARED = "encryptedSharedCache";

    @PropertyInject("cache.redis-url")
    String redisUrl;
    @PropertyInject("cache.redis-password")
    String redisPassword;
    @PropertyInject("cache.redis-user")
    String redisUser;
    @PropertyInject("cache.redis-cluster-nodes")
    String redisClusterNodes;
    @PropertyInject("cache.redis-sentinel-master")
    String redisSentinelMaster;
    @PropertyInject("cache.redis-sentinel-nodes")
    String redisSentinelNodes;
    @PropertyInject("cache.redis-sentinel-password")
    String redisSentinelPassword;
    @PropertyInject("cache.redis-tls")
    boolean redisTls;
    @PropertyInject("cache.redis-tls-ca-file")
    String redisTlsCaFile;
    @PropertyInject("cache.redis-tls-cert-file")
    String redisTlsCertFile;
    @PropertyInject("cache.redis-tls-key-file")
    String redisTlsKeyFile;
    @PropertyInject("cache.redis-tls-verify-hostname")
    boolean redisTlsVerifyHostname;
    @PropertyInject("cache.redis-timeout-ms")
    int redisTimeoutMillis;
    @PropertyInject("cache.redis-retry-ms")
    long redisRetryMillis;
    @PropertyInject("cache.redis-max-connections")
    int redisMaxConnections;
    @PropertyInject("cache.encryption-key")
    String encryptionKey;
    @PropertyInject("cache.encryption-old-key")
    String encryptionOldKey;
    @PropertyInject("cache.ttl-seconds")
    long ttlSeconds;
    @PropertyInject("cache.key-prefix")
    String keyPrefix;
    @PropertyInject("cache.memory-max-bytes")
    long memoryMaxBytes;
    @PropertyInject("proxy.max-answer-bytes")
    long maxAnswerBytes;
    @PropertyInject("local-store.folder")
    String localFolder;

    /** One count for the whole process, shared by the beans that take bytes into heap for a request. */
    @BindToRegistry
    public InFlightBytes inFlightBytes(@PropertyInject("proxy.max-inflight-bytes") long maxInflightBytes) {
        return new InFlightBytes(maxInflightBytes);
    }

    @Override
    public void configure(CamelContext context) {
        Duration ttl = Duration.ofSeconds(ttlSeconds);
        ByteCache memory = new MemoryByteCache(memoryMaxBytes, ttl);
        RedisSettings redis = new RedisSettings(redisUrl, redisClusterNodes, redisSentinelMaster, redisSentinelNodes,
                redisUser, redisPassword, redisSentinelPassword, redisTls, redisTlsCaFile, redisTlsCertFile,
                redisTlsKeyFile, redisTlsVerifyHostname, redisTimeoutMillis, redisMaxConnections);
        // the keys are checked whether Redis is configured or not: a wrong key fails the start now, not the day
        // Redis is added
        Optional<ValueCipher> cipher = cipher();
        ByteCache cache = memory;
        if (redis.configured()) {
            ByteCache shared = new RedisByteCache(redis, ttl, Duration.ofMillis(redisRetryMillis), keyPrefix);
            if (cipher.isPresent()) {
                EncryptedByteCache encrypted = new EncryptedByteCache(shared, cipher.get());
                context.getRegistry().bind(ENCRYPTED_SHARED, encrypted);
                shared = encrypted; // the near tier stays plain
            }
            cache = new TieredByteCache(memory, shared);
        } else if (cipher.isPresent()) {
            LoggerFactory.getLogger(CacheConfiguration.class).info(
                    "cache.encryption-key is set but no Redis is configured: values stay in process, unsealed");
        }
        String storeIdentity = LocalStoreConfiguration.storeIdentity(localFolder, Settings.upstreamUrl(context));
        InFlightBytes inFlightBytes = context.getRegistry().lookupByNameAndType("inFlightBytes", InFlightBytes.class);
        context.getRegistry().bind("frameCache", new FrameCache(cache, keyPrefix, storeIdentity, maxAnswerBytes, inFlightBytes));
        ClosedOnStop.register(context, "the cache", cache::close);
    }

    /** The cipher of cache.encryption-key (and -old-key), checked; empty without a key. */
    private Optional<ValueCipher> cipher() {
        if (encryptionKey == null || encryptionKey.isBlank()) {
            if (encryptionOldKey != null && !encryptionOldKey.isBlank()) {
                throw new IllegalArgumentException("cache.encryption-old-key is set without cache.encryption-key");
            }
            return Optional.empty();
        }
        return Optional.of(new ValueCipher(encryptionKey, encryptionOldKey));
    }
}
