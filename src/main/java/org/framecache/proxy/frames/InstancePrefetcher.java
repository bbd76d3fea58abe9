package org.framecache.proxy.frames;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.ExchangeProperty;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.dicom.Part10FrameReader;
import org.framecache.proxy.dicom.Part10Summary;
import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.multipart.MultipartRelatedReader;
import org.framecache.proxy.multipart.StreamedPart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole-instance prefetch: the first stored-bytes miss on an instance with enough frames queues one background
 * job (route prefetch-instance, a bounded number at once per replica, one per instance across replicas through a
 * loading marker) that downloads the instance as stored, walks its Part 10 file once and writes every frame to
 * the cache in batches. Requests never wait for it: until their frames land they fetch them as usual.
 *
 * <p>Memory does not grow with the instance: the Part 10 reader reads the HTTP body as it arrives (the multipart part
 * as a stream, never a byte array), holds one frame (at most proxy.max-part-bytes) and one batch (at most
 * batch-frames frames and {@link PrefetchBatches#BATCH_BYTES}, see {@link PrefetchBatches}). Instances over
 * prefetch.max-instance-bytes are not downloaded: known from the metadata the access check read (pixel data
 * uncompressed: exact for native instances; for one known to be stored compressed the limit is checked on the answer
 * instead), from the answer's Content-Length, and by counting the body as it is read ({@link CountedBody}).
 */
public final class InstancePrefetcher {
    private static final Logger LOG = LoggerFactory.getLogger(InstancePrefetcher.class);
    private static final String MARKER = "prefetchMarker";
    private static final Set<String> NATIVE_SYNTAXES = Set.of(TransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN);

    private final FrameCache cache;
    private final InstanceAccess access;
    private final StoredSyntaxes storedSyntaxes;
    private final ProducerTemplate producer;
    private final Set<String> supportedSyntaxes;
    private final int minFrames;
    private final int maxFrames;
    private final int maxInstanceBytes;
    private final int maxFrameBytes;
    private final int batchSize;
    private final Duration lockExpiry;
    private final Cache<String, Boolean> started;
    private final LongAdder jobs = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder framesWritten = new LongAdder();
    private final LongAdder tooLarge = new LongAdder();

    public InstancePrefetcher(FrameCache cache, InstanceAccess access, StoredSyntaxes storedSyntaxes,
                              ProducerTemplate producer, Collection<String> supportedSyntaxes, int minFrames,
                              int maxFrames, int maxInstanceBytes, int maxFrameBytes, int batchSize, Duration lockExpiry,
                              Duration remember) {
        this.cache = cache;
        this.access = access;
        this.storedSyntaxes = storedSyntaxes;
        this.producer = producer;
        this.supportedSyntaxes = Set.copyOf(supportedSyntaxes);
        this.minFrames = minFrames;
        this.maxFrames = maxFrames;
        this.maxInstanceBytes = maxInstanceBytes;
        this.maxFrameBytes = maxFrameBytes;
        this.batchSize = batchSize;
        this.lockExpiry = lockExpiry;
        this.started = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(remember).build();
    }

    /** On the request path, after the claim: queue a job when this is the instance's first stored-bytes miss here. */
    public void consider(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request) {
        if (!request.getRepresentation().isStored() || request.getMissing().length == 0) {
            return;
        }
        Integer frames = access.numberOfFrames(request);
        if (frames == null || frames < minFrames || frames > maxFrames) {
            return;
        }
        // over the limit uncompressed and not known to be stored compressed: not now (not remembered either, so a
        // later miss, once a fetch has taught the stored syntax, may prefetch a compressed instance after all)
        Long pixelBytes = access.pixelBytes(request);
        String stored = storedSyntaxes.stored(request);
        if (pixelBytes != null && pixelBytes > maxInstanceBytes && (stored == null || NATIVE_SYNTAXES.contains(stored))) {
            tooLarge.increment();
            LOG.debug("{} not prefetched: {} bytes of pixel data, over prefetch.max-instance-bytes", request.instancePath(),
                    pixelBytes);
            return;
        }
        if (started.asMap().putIfAbsent(request.instancePath(), Boolean.TRUE) != null) {
            return;
        }
        FrameRequest job = new FrameRequest(request.getStudy(), request.getSeries(), request.getInstance(), new int[] {1},
                Representation.stored(), null, request.getForwardHeaders(), "");
        try {
            producer.sendBody("seda:prefetch-instance", job);
            jobs.increment();
        } catch (RuntimeException full) {
            // the queue is full: no prefetch this time, and the request goes on as if none had been asked for
            started.invalidate(request.instancePath());
            LOG.debug("prefetch of {} not queued: {}", request.instancePath(), full.getMessage());
        }
    }

    /** First step of a job: one job per instance across replicas. False when another replica runs it. */
    public boolean lock(Exchange exchange) {
        FrameRequest job = exchange.getIn().getBody(FrameRequest.class);
        exchange.setProperty(FrameRequest.PROPERTY, job);
        String marker = cache.key(job, 0, Representation.stored()) + ":prefetch";
        boolean mine = cache.claimMarker(marker, lockExpiry);
        if (mine) {
            exchange.setProperty(MARKER, marker);
        }
        return mine;
    }

    /**
     * The store's answer: the instance's Part 10 file, read once as it arrives, its frames written in batches as
     * they come. An answer over prefetch.max-instance-bytes (its Content-Length, or what is read) stops the job and
     * drops the connection instead of reading on.
     */
    public void store(Exchange exchange) throws IOException {
        FrameRequest job = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (status != 200 || contentType == null) {
            throw new IOException("store answered " + status + " for the whole instance");
        }
        InputStream body = exchange.getMessage().getBody(InputStream.class);
        if (body == null) {
            throw new IOException("store answered no instance");
        }
        // not left as the body: on a failure the error policy would copy the rest of it into memory (stream caching)
        exchange.getMessage().setBody(null);
        try (InputStream counted = new CountedBody(body, maxInstanceBytes)) {
            Long length = exchange.getMessage().getHeader("Content-Length", Long.class);
            if (length != null && length > maxInstanceBytes) {
                throw new CountedBody.TooLarge(length + " bytes");
            }
            Iterator<StreamedPart> parts = new MultipartRelatedReader(maxFrameBytes).partStreams(counted, contentType);
            if (!parts.hasNext()) {
                throw new IOException("store answered no instance");
            }
            long start = System.nanoTime();
            PrefetchBatches batches = new PrefetchBatches(cache, job, supportedSyntaxes, batchSize, framesWritten);
            Part10Summary summary = Part10FrameReader.read(parts.next().content(), batches, maxFrameBytes);
            batches.flush();
            storedSyntaxes.remember(job, summary.transferSyntaxUid());
            completed.increment();
            LOG.info("prefetched {} frames of {} in {} ms", summary.framesEmitted(), job.instancePath(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            abort(body);
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof CountedBody.TooLarge over) { // also when the readers wrapped it
                    tooLarge.increment();
                    throw new IOException("the instance is over prefetch.max-instance-bytes (" + over.getMessage() + ")");
                }
            }
            throw e;
        }
    }

    /** Drops the store's connection instead of reading the rest of an answer no longer wanted. */
    private static void abort(InputStream body) {
        if (body instanceof EofSensorInputStream http) {
            try {
                http.abort();
            } catch (IOException ignored) {
                // the connection is gone either way
            }
        }
    }

    /** Last step of every job, also after a failure: the marker goes, so another replica may try later. */
    public void release(Exchange exchange) {
        cache.releaseMarkers(List.of(exchange.getProperty(MARKER, "", String.class)).stream()
                .filter(m -> !m.isEmpty()).toList());
    }

    public long getJobs() {
        return jobs.sum();
    }

    public long getCompleted() {
        return completed.sum();
    }

    /** Misses that queued no prefetch, and prefetches stopped, because the instance is over prefetch.max-instance-bytes. */
    public long getTooLarge() {
        return tooLarge.sum();
    }

    public long getFramesWritten() {
        return framesWritten.sum();
    }
}
