package org.framecache.proxy;

import org.apache.camel.ExchangeProperty;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.framecache.proxy.dicom.DicomFormatException;
import org.framecache.proxy.dicom.FrameSink;
import org.framecache.proxy.dicom.Part10FrameReader;
import org.framecache.proxy.dicom.Part10Summary;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.multipart.MultipartRelatedReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole-instance prefetch: the first stored-bytes miss on an instance with enough frames queues one background
 * job (route prefetch-instance, a bounded number at once per replica, one per instance across replicas through a
 * loading marker) that downloads the instance as stored, walks its Part 10 file once and writes every frame to
 * the cache in batches. Requests never wait for it: until their frames land they fetch them as usual.
 */
public final class InstancePrefetcher {
    private static final Logger LOG = LoggerFactory.getLogger(InstancePrefetcher.class);
    private static final String MARKER = "prefetchMarker";

    private final FrameCache cache;
    private final InstanceAccess access;
    private final StoredSyntaxes storedSyntaxes;
    private final ProducerTemplate producer;
    private final Set<String> supportedSyntaxes;
    private final int minFrames;
    private final int maxFrames;
    private final int maxInstanceBytes;
    private final int batchSize;
    private final Duration lockExpiry;
    private final Cache<String, Boolean> started;
    private final LongAdder jobs = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder framesWritten = new LongAdder();

    public InstancePrefetcher(FrameCache cache, InstanceAccess access, StoredSyntaxes storedSyntaxes,
                              ProducerTemplate producer, Collection<String> supportedSyntaxes, int minFrames,
                              int maxFrames, int maxInstanceBytes, int batchSize, Duration lockExpiry, Duration remember) {
        this.cache = cache;
        this.access = access;
        this.storedSyntaxes = storedSyntaxes;
        this.producer = producer;
        this.supportedSyntaxes = Set.copyOf(supportedSyntaxes);
        this.minFrames = minFrames;
        this.maxFrames = maxFrames;
        this.maxInstanceBytes = maxInstanceBytes;
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
        if (frames == null || frames < minFrames || frames > maxFrames
                || started.asMap().putIfAbsent(request.instancePath(), Boolean.TRUE) != null) {
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
        exchange.setProperty("frameRequest", job);
        String marker = cache.key(job, 0, Representation.stored()) + ":prefetch";
        boolean mine = cache.claimMarker(marker, lockExpiry);
        if (mine) {
            exchange.setProperty(MARKER, marker);
        }
        return mine;
    }

    /** The store's answer: the instance's Part 10 file, read once, its frames written in batches as they come. */
    public void store(Exchange exchange) throws IOException {
        FrameRequest job = exchange.getProperty("frameRequest", FrameRequest.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (status != 200 || contentType == null) {
            throw new IOException("store answered " + status + " for the whole instance");
        }
        try (InputStream body = exchange.getMessage().getBody(InputStream.class)) {
            Iterator<BodyPart> parts = new MultipartRelatedReader(maxInstanceBytes).parts(body, contentType);
            if (!parts.hasNext()) {
                throw new IOException("store answered no instance");
            }
            long start = System.nanoTime();
            Batches batches = new Batches(job);
            Part10Summary summary = Part10FrameReader.read(new ByteArrayInputStream(parts.next().content()), batches);
            batches.flush();
            storedSyntaxes.remember(job, summary.transferSyntaxUid());
            completed.increment();
            LOG.info("prefetched {} frames of {} in {} ms", summary.framesEmitted(), job.instancePath(),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** Last step of every job, also after a failure: the marker goes, so another replica may try later. */
    public void release(Exchange exchange) {
        cache.releaseMarkers(List.of(exchange.getProperty(MARKER, "", String.class)).stream()
                .filter(m -> !m.isEmpty()).toList());
    }

    /** Frames collected into cache writes of batchSize, as the reader finds them. */
    private final class Batches implements FrameSink {
        private final FrameRequest job;
        private final List<FetchedFrame> batch = new ArrayList<>(batchSize);
        private String contentType;

        Batches(FrameRequest job) {
            this.job = job;
        }

        @Override
        public void begin(String transferSyntaxUid) throws IOException {
            if (!supportedSyntaxes.contains(transferSyntaxUid)) {
                throw new DicomFormatException("stored in " + transferSyntaxUid + ", not a syntax the proxy caches raw");
            }
            contentType = TransferSyntaxes.mediaTypeOf(transferSyntaxUid) + "; transfer-syntax=" + transferSyntaxUid;
        }

        @Override
        public void frame(int number, byte[] bytes) {
            batch.add(new FetchedFrame(number, Representation.stored(), new CachedFrame(contentType, bytes)));
            if (batch.size() >= batchSize) {
                flush();
            }
        }

        void flush() {
            if (!batch.isEmpty()) {
                cache.write(job, batch);
                framesWritten.add(batch.size());
                batch.clear();
            }
        }
    }

    public long getJobs() {
        return jobs.sum();
    }

    public long getCompleted() {
        return completed.sum();
    }

    public long getFramesWritten() {
        return framesWritten.sum();
    }
}
