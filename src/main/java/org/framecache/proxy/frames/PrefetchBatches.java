package org.framecache.proxy.frames;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import org.framecache.proxy.dicom.DicomFormatException;
import org.framecache.proxy.dicom.FrameSink;
import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FetchedFrame;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;

/**
 * A prefetched instance's frames collected into cache writes of batchSize frames (or {@link #BATCH_BYTES}), as the
 * Part 10 reader finds them; {@link #flush()} writes the last, partial batch.
 */
final class PrefetchBatches implements FrameSink {
    /** A batch is written once it holds this many bytes, whatever batch-frames says (3 MB native frames × 64). */
    static final int BATCH_BYTES = 8 << 20;

    private final FrameCache cache;
    private final FrameRequest job;
    private final Set<String> supportedSyntaxes;
    private final int batchSize;
    private final LongAdder framesWritten;
    private final List<FetchedFrame> batch;
    private long batchBytes;
    private String contentType;

    PrefetchBatches(FrameCache cache, FrameRequest job, Set<String> supportedSyntaxes, int batchSize,
                    LongAdder framesWritten) {
        this.cache = cache;
        this.job = job;
        this.supportedSyntaxes = supportedSyntaxes;
        this.batchSize = batchSize;
        this.framesWritten = framesWritten;
        this.batch = new ArrayList<>(batchSize);
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
        batchBytes += bytes.length;
        if (batch.size() >= batchSize || batchBytes >= BATCH_BYTES) {
            flush();
        }
    }

    void flush() {
        if (!batch.isEmpty()) {
            cache.write(job, batch);
            framesWritten.add(batch.size());
            batch.clear();
            batchBytes = 0;
        }
    }
}
