package org.framecache.proxy.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encryption at rest for the shared tier: every value is sealed ({@link ValueCipher}) before it is written and
 * opened after it is read, with its own cache key as associated data. A value that does not open (another key's
 * value, altered, sealed with a key this process no longer has) is a miss, counted and logged at DEBUG. Markers
 * carry no pixel data (a random owner id) and pass through unchanged.
 */
public final class EncryptedByteCache implements ByteCache {
    private static final Logger LOG = LoggerFactory.getLogger(EncryptedByteCache.class);

    private final ByteCache sealedValues;
    private final ValueCipher cipher;
    private final LongAdder rejected = new LongAdder();

    public EncryptedByteCache(ByteCache sealedValues, ValueCipher cipher) {
        this.sealedValues = sealedValues;
        this.cipher = cipher;
    }

    @Override
    public List<byte[]> getAll(List<String> keys) {
        List<byte[]> sealed = sealedValues.getAll(keys);
        List<byte[]> values = new ArrayList<>(sealed.size());
        for (int i = 0; i < sealed.size(); i++) {
            byte[] value = sealed.get(i);
            byte[] opened = value == null ? null : cipher.open(keys.get(i), value);
            if (value != null && opened == null) {
                rejected.increment();
                LOG.debug("cached value of {} did not authenticate ({} bytes): treated as a miss", keys.get(i),
                        value.length);
            }
            values.add(opened);
        }
        return values;
    }

    @Override
    public void putAll(Map<String, byte[]> entries) {
        if (entries.isEmpty() || !sealedValues.isAvailable()) {
            return; // nothing to seal for a write that would be dropped
        }
        Map<String, byte[]> sealed = new LinkedHashMap<>();
        entries.forEach((key, value) -> sealed.put(key, cipher.seal(key, value)));
        sealedValues.putAll(sealed);
    }

    /** Values read that did not open (treated as misses). */
    public long rejected() {
        return rejected.sum();
    }

    @Override
    public List<Boolean> mark(List<String> keys, Duration expiry) {
        return sealedValues.mark(keys, expiry);
    }

    @Override
    public void unmark(List<String> keys) {
        sealedValues.unmark(keys);
    }

    @Override
    public boolean isAvailable() {
        return sealedValues.isAvailable();
    }

    @Override
    public String status() {
        return sealedValues.status();
    }

    @Override
    public String describe() {
        return sealedValues.describe() + ", values AES-256-GCM encrypted (" + cipher.describe() + ")";
    }

    @Override
    public void close() {
        sealedValues.close();
    }
}
