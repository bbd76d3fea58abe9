package org.framecache.proxy.access;

import static org.framecache.proxy.dicom.Tag.key;
import static org.framecache.proxy.dicom.Tag.keys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.framecache.proxy.dicom.Tag;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.upstream.UpstreamResponse;
import org.framecache.proxy.upstream.UpstreamStatusException;

/**
 * Serves a frame, cached or not, only to a caller the store accepts for that instance: the store is asked with
 * the caller's own credentials (the instance's metadata, PS3.18 §10.4.1.1.2) and its answer is remembered per
 * (credential fingerprint, instance) for a short time, refusals included. Credentials are kept only as an HMAC
 * fingerprint. The same metadata gives NumberOfFrames, so out-of-range frames are refused before the store is
 * asked for them.
 */
public final class InstanceAccess {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InstanceAccess.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final String NUMBER_OF_FRAMES = key(Tag.NumberOfFrames);

    private record Decision(int status, String challenge) {
    }

    private final Cache<String, Decision> decisions;
    private final Cache<String, Integer> frameCounts;
    /** Instance path → its pixels' layout and ICC profile reference, from the same metadata. */
    private final Cache<String, InstanceImage> images;
    /** Instance path → its pixel data's size uncompressed, from the same metadata (what a prefetch may cost). */
    private final Cache<String, Long> pixelBytes;
    private final SecretKeySpec key;
    /** One HMAC per thread (request threads and event loops), keyed once. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);
    /** Starts as auth.per-caller; a shared setting turns per caller for good once the store refuses anyone. */
    private volatile boolean perCaller;
    private final LongAdder allowedByStore = new LongAdder();
    private final LongAdder refusedByStore = new LongAdder();
    private final LongAdder remembered = new LongAdder();
    private final LongAdder awaited = new LongAdder();
    /** (caller, instance) → completed when the request asking the store for it is done. */
    private final Map<String, CompletableFuture<Void>> asking = new ConcurrentHashMap<>();
    private static final String ASKING_PROPERTY = "askingStoreForAccess";
    /** The key prefix of an acceptance shared by every caller (auth.per-caller=false). */
    private static final String SHARED = "*|";
    private final long waitMillis;
    private volatile long callerDeadlineMillis;

    /**
     * @param perCaller false for stores that need no authentication: an instance the store gave a caller without
     *                  credentials is open to everyone (one decision per instance); nothing else is shared
     * @param hmacKey   secret for credential fingerprints; empty = a random key for this process
     */
    public InstanceAccess(boolean perCaller, Duration decisionTtl, Duration metadataTtl, String hmacKey,
                          long waitMillis) {
        this.waitMillis = waitMillis;
        this.perCaller = perCaller;
        this.decisions = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(decisionTtl).build();
        this.frameCounts = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(metadataTtl).build();
        this.images = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(metadataTtl).build();
        this.pixelBytes = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(metadataTtl).build();
        byte[] secret = hmacKey == null || hmacKey.isEmpty() ? randomKey() : hmacKey.getBytes(StandardCharsets.UTF_8);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /**
     * True when the store must be asked (no remembered decision). A remembered refusal is answered at once with
     * the store's status; a remembered acceptance checks the frame numbers. While one request asks the store for
     * a (caller, instance), the others for the same wait for its answer instead of asking too (when a decision
     * expires under load, one metadata call, not one per request in flight).
     */
    public boolean mustAskStore(Exchange exchange) {
        FrameRequest request = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        String key = decisionKey(request);
        if (decided(request, key)) {
            return false;
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> other = asking.putIfAbsent(key, mine);
        if (other == null) {
            exchange.setProperty(ASKING_PROPERTY, key);
            return true;
        }
        long wait = waitMillis;
        boolean untilOwnDeadline = false;
        if (callerDeadlineMillis > 0) {
            long left = exchange.getClock().getCreated() + callerDeadlineMillis - System.currentTimeMillis();
            untilOwnDeadline = left < wait;
            wait = Math.max(0, Math.min(wait, left));
        }
        try {
            other.get(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (TimeoutException e) {
            if (untilOwnDeadline) {
                throw new ProxyException(504, "the store's access decision did not come within this request's deadline");
            }
            return true; // the other request learned nothing in time: ask the store ourselves
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProxyException p) {
                throw p; // the store did not answer the other request in time: no time left to ask again
            }
            return true; // the other request learned nothing: ask the store ourselves
        }
        if (decided(request, key)) {
            awaited.increment();
            return false;
        }
        return true;
    }

    /**
     * A request waiting for another's access check gives up this long after it arrived (the deadline of its own
     * store call); 0 for no such limit.
     */
    public void setCallerDeadlineMillis(long callerDeadlineMillis) {
        this.callerDeadlineMillis = callerDeadlineMillis;
    }

    /** True when a remembered acceptance covers the request; throws a remembered refusal; false when unknown. */
    private boolean decided(FrameRequest request, String key) {
        Decision decision = decisionFor(request, key);
        if (decision != null && decision.status() != 200) {
            remembered.increment();
            throw refusal(decision);
        }
        Integer frames = frameCounts.getIfPresent(request.instancePath());
        // the pixel layout comes from the same answer: a rendering needs it, so both are asked for again together
        if (decision == null || frames == null || images.getIfPresent(request.instancePath()) == null) {
            return false;
        }
        remembered.increment();
        checkFrameNumbers(request, frames);
        return true;
    }

    /**
     * For answers given before the route (in-process hits): true only when a remembered acceptance of this caller
     * covers the instance and every frame is in range. Unknown, refused or out of range is false, and the route
     * decides (asking the store when it must).
     */
    public boolean acceptedFromMemory(FrameRequest request) {
        Decision decision = decisionFor(request, decisionKey(request));
        Integer numberOfFrames = frameCounts.getIfPresent(request.instancePath());
        return decision != null && decision.status() == 200 && numberOfFrames != null
                && firstOutOfRange(request, numberOfFrames) == 0;
    }

    /** A request was answered on a remembered decision outside the route ({@link #acceptedFromMemory}). */
    public void countRemembered() {
        remembered.increment();
    }

    /**
     * When the request is done, however its call to the store went: the requests waiting for what this one would
     * learn stop waiting (they find the decision it recorded, or ask themselves).
     */
    public void doneAsking(Exchange exchange) {
        String key = exchange.removeProperty(ASKING_PROPERTY) instanceof String k ? k : null;
        if (key != null) {
            CompletableFuture<Void> pending = asking.remove(key);
            if (pending != null && UpstreamResponse.failedByTimeout(exchange)) {
                pending.completeExceptionally(new ProxyException(504, "the store did not answer the access check"
                        + " this request waited for in time"));
            } else if (pending != null) {
                pending.complete(null);
            }
        }
    }

    /** After the metadata call: remembers the store's answer, then accepts or refuses the request. */
    public void record(Exchange exchange) {
        try {
            recordAnswer(exchange);
        } finally {
            doneAsking(exchange);
        }
    }

    private void recordAnswer(Exchange exchange) {
        FrameRequest request = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        Message answer = exchange.getMessage();
        int status = answer.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        switch (status) {
            case 200 -> {
                Shape shape = shape(answer);
                int frames = shape.frames();
                frameCounts.put(request.instancePath(), frames);
                images.put(request.instancePath(), shape.image());
                if (shape.pixelBytes() > 0) {
                    pixelBytes.put(request.instancePath(), shape.pixelBytes());
                }
                decisions.put(decisionKey(request), new Decision(200, null));
                if (!perCaller && request.getForwardHeaders().isEmpty()) {
                    // the store let in a caller without credentials: it lets in everyone (auth.per-caller=false)
                    decisions.put(SHARED + request.instancePath(), new Decision(200, null));
                }
                allowedByStore.increment();
                checkFrameNumbers(request, frames);
            }
            case 401, 403, 404, 410 -> {
                if (status == 401 || status == 403) {
                    decidePerCaller("the store answered " + status + " for " + request.instancePath());
                }
                Decision refusal = new Decision(status, answer.getHeader("WWW-Authenticate", String.class));
                decisions.put(decisionKey(request), refusal);
                refusedByStore.increment();
                throw refusal(refusal);
            }
            default -> throw new ProxyException(502, "cannot verify access to the instance: the store answered " + status
                    + " for its metadata");
        }
    }

    /** True while one decision per instance is shared by every caller (auth.per-caller=false). */
    public boolean shared() {
        return !perCaller;
    }

    /** After the start-up search without credentials (auth.per-caller=false): a refusal means the store authenticates. */
    public void learnFromAnonymousSearch(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status == 401 || status == 403) {
            decidePerCaller("the store refuses a search without credentials (" + status + ")");
        } else {
            LOG.warn("auth.per-caller=false: one access decision per instance is shared by every caller; the store answered"
                    + " {} to a search without credentials. Use this only for a store that authenticates no one.", status);
        }
    }

    /**
     * A store that refuses some caller authenticates: sharing one caller's acceptance with everyone would serve frames
     * to callers it refuses, and one caller's refusal would lock out the rest. Decisions become per caller from now on
     * (and those remembered so far are dropped).
     */
    private synchronized void decidePerCaller(String why) {
        if (!perCaller) {
            perCaller = true;
            decisions.invalidateAll();
            LOG.error("auth.per-caller=false, but {}: the store authenticates callers, so access is now decided per caller."
                    + " Set auth.per-caller=true.", why);
        }
    }

    /** NumberOfFrames of the request's instance, when its metadata has been read; else null. */
    public Integer numberOfFrames(FrameRequest request) {
        return frameCounts.getIfPresent(request.instancePath());
    }

    /**
     * The instance's pixel data uncompressed (NumberOfFrames × Rows × Columns × SamplesPerPixel × BitsAllocated/8,
     * PS3.3 C.7.6.3), when its metadata has been read and has them all: the stored size of a native instance, more
     * than that of a compressed one; else null.
     */
    public Long pixelBytes(FrameRequest request) {
        return pixelBytes.getIfPresent(request.instancePath());
    }

    /** The pixels' layout and ICC profile reference of the request's instance, once its metadata has been read; else null. */
    public InstanceImage image(FrameRequest request) {
        return images.getIfPresent(request.instancePath());
    }

    /** Decisions the store made when asked: access granted. */
    public long getAllowedByStore() {
        return allowedByStore.sum();
    }

    /** Decisions the store made when asked: access refused (401, 403, 404, 410). */
    public long getRefusedByStore() {
        return refusedByStore.sum();
    }

    /** Requests decided from a remembered decision, without asking the store. */
    public long getRemembered() {
        return remembered.sum();
    }

    /** Requests decided by waiting for another request that was asking the store for the same. */
    public long getAwaited() {
        return awaited.sum();
    }

    /** HMAC of the forwarded credentials; never the credentials themselves. */
    public String fingerprint(Map<String, String> forwardHeaders) {
        if (forwardHeaders.isEmpty()) {
            return "anonymous";
        }
        Mac mac = macs.get();
        mac.reset();
        new TreeMap<>(forwardHeaders).forEach((name, value) -> {
            mac.update(name.toLowerCase().getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(value.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
        });
        return HexFormat.of().formatHex(mac.doFinal(), 0, 16);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The request's caller fingerprint, computed once per request (an HMAC of a long token is not free). */
    public String fingerprint(FrameRequest request) {
        String fingerprint = request.getCallerFingerprint();
        if (fingerprint == null) {
            fingerprint = fingerprint(request.getForwardHeaders());
            request.setCallerFingerprint(fingerprint);
        }
        return fingerprint;
    }

    /** Decisions are always remembered per caller; a shared one is only an acceptance of a caller without credentials. */
    private String decisionKey(FrameRequest request) {
        return fingerprint(request) + "|" + request.instancePath();
    }

    /**
     * This caller's remembered decision; with auth.per-caller=false and none of its own, the acceptance given to a
     * caller without credentials, which covers everyone. A refusal, or an acceptance of credentials, is never shared.
     */
    private Decision decisionFor(FrameRequest request, String key) {
        Decision own = decisions.getIfPresent(key);
        return own != null || perCaller ? own : decisions.getIfPresent(SHARED + request.instancePath());
    }

    private static void checkFrameNumbers(FrameRequest request, int numberOfFrames) {
        int frame = firstOutOfRange(request, numberOfFrames);
        if (frame > 0) {
            throw ProxyException.badRequest("frame " + frame + " is out of range: the instance has "
                    + numberOfFrames + " frame" + (numberOfFrames == 1 ? "" : "s"));
        }
    }

    /** The first frame of the request beyond NumberOfFrames; 0 when all are in range. */
    private static int firstOutOfRange(FrameRequest request, int numberOfFrames) {
        for (int frame : request.getFrames()) {
            if (frame > numberOfFrames) {
                return frame;
            }
        }
        return 0;
    }

    private static UpstreamStatusException refusal(Decision decision) {
        String what = switch (decision.status()) {
            case 401 -> "the store requires valid credentials for this instance";
            case 403 -> "the store refuses this caller access to the instance";
            default -> "no such instance in the store";
        };
        return new UpstreamStatusException(decision.status(), what + " (" + decision.status() + ")", decision.challenge());
    }

    /**
     * What the metadata says of an instance's pixels: frames, their size uncompressed (0 when not all said), and the
     * layout and ICC profile reference a rendering needs.
     */
    record Shape(int frames, long pixelBytes, InstanceImage image) {
        Shape(int frames, long pixelBytes) {
            this(frames, pixelBytes, new InstanceImage(null, null, null));
        }
    }

    /** NumberOfFrames (0028,0008) of the first data set; 1 when absent (single-frame instance, PS3.3 C.7.6.6). */
    static int numberOfFrames(Message answer) {
        return shape(answer).frames();
    }

    /**
     * NumberOfFrames (1 when absent, PS3.3 C.7.6.6), the Image Pixel module's attributes (PS3.3 C.7.6.3) and the ICC
     * profile reference (top level, or the Optical Path Sequence's first item) of the first data set.
     */
    static Shape shape(Message answer) {
        try (InputStream body = answer.getBody(InputStream.class); JsonParser json = JSON.createParser(body)) {
            if (json.nextToken() != JsonToken.START_ARRAY || json.nextToken() != JsonToken.START_OBJECT) {
                throw new ProxyException(502, "the store's metadata is not a DICOM JSON array");
            }
            Map<String, String> values = new java.util.HashMap<>();
            String[] icc = new String[2];
            String[] opticalPathIcc = new String[2];
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String tag = json.currentName();
                json.nextToken();
                if (ICC_PROFILE.equals(tag)) {
                    bulkOrInline(json, icc);
                } else if (OPTICAL_PATH_SEQUENCE.equals(tag)) {
                    firstItemIcc(json, opticalPathIcc);
                } else if (NUMBER_OF_FRAMES.equals(tag) || PIXEL_TAGS.contains(tag) || FORMAT_TAGS.contains(tag)) {
                    String value = firstValue(json);
                    if (value != null) {
                        values.put(tag, value.strip());
                    }
                } else {
                    json.skipChildren();
                }
            }
            int frames = values.containsKey(NUMBER_OF_FRAMES) ? Integer.parseInt(values.get(NUMBER_OF_FRAMES)) : 1;
            long[] pixel = new long[PIXEL_TAGS.size()];
            for (int i = 0; i < pixel.length; i++) {
                String value = values.get(PIXEL_TAGS.get(i));
                pixel[i] = value == null ? 0 : Long.parseLong(value);
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(frames, pixel[0]), pixel[1]),
                        Math.multiplyExact(pixel[2], pixel[3] / 8));
            } catch (ArithmeticException overflow) {
                bytes = Long.MAX_VALUE;
            }
            String[] profile = icc[0] != null || icc[1] != null ? icc : opticalPathIcc;
            byte[] inline = profile[0] == null ? null : java.util.Base64.getMimeDecoder().decode(profile[0]);
            long totalColumns = values.containsKey(TOTAL_COLUMNS) ? Long.parseLong(values.get(TOTAL_COLUMNS)) : 0;
            long totalRows = values.containsKey(TOTAL_ROWS) ? Long.parseLong(values.get(TOTAL_ROWS)) : 0;
            boolean tiledFull = "TILED_FULL".equals(values.get(key(Tag.DimensionOrganizationType)));
            return new Shape(frames, bytes, new InstanceImage(pixelFormat(values, pixel), inline, profile[1], totalColumns,
                    totalRows, tiledFull));
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new ProxyException(502, "the store's metadata could not be read: " + e.getMessage());
        }
    }

    /** The Image Pixel module as a {@link PixelFormat}; null when Rows, Columns, SamplesPerPixel or BitsAllocated is missing. */
    private static org.framecache.proxy.image.PixelFormat pixelFormat(Map<String, String> values, long[] pixel) {
        if (pixel[0] <= 0 || pixel[1] <= 0 || pixel[2] <= 0 || pixel[3] <= 0 || pixel[0] > 65535 || pixel[1] > 65535
                || pixel[2] > 4 || pixel[3] > 32) {
            return null;
        }
        int bitsStored = values.containsKey(BITS_STORED) ? Integer.parseInt(values.get(BITS_STORED)) : (int) pixel[3];
        String photometric = values.getOrDefault(key(Tag.PhotometricInterpretation), pixel[2] == 1 ? "MONOCHROME2" : "RGB");
        int planar = values.containsKey(PLANAR_CONFIGURATION) ? Integer.parseInt(values.get(PLANAR_CONFIGURATION)) : 0;
        boolean signed = "1".equals(values.get(key(Tag.PixelRepresentation)));
        return new org.framecache.proxy.image.PixelFormat((int) pixel[0], (int) pixel[1], (int) pixel[2], (int) pixel[3],
                bitsStored, photometric, planar, signed);
    }

    /** An attribute's InlineBinary (into [0]) or BulkDataURI (into [1]), the parser at its object. */
    private static void bulkOrInline(JsonParser json, String[] into) throws IOException {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            json.skipChildren();
            return;
        }
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            if ("InlineBinary".equals(field) && json.currentToken() == JsonToken.VALUE_STRING) {
                into[0] = json.getText();
            } else if ("BulkDataURI".equals(field) && json.currentToken() == JsonToken.VALUE_STRING) {
                into[1] = json.getText();
            } else {
                json.skipChildren();
            }
        }
    }

    /** The ICC profile of a sequence's first item (the parser at the sequence attribute's object). */
    private static void firstItemIcc(JsonParser json, String[] into) throws IOException {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            json.skipChildren();
            return;
        }
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            if ("Value".equals(field) && json.currentToken() == JsonToken.START_ARRAY) {
                boolean first = true;
                while (json.nextToken() == JsonToken.START_OBJECT) {
                    while (json.nextToken() == JsonToken.FIELD_NAME) {
                        String tag = json.currentName();
                        json.nextToken();
                        if (first && ICC_PROFILE.equals(tag)) {
                            bulkOrInline(json, into);
                        } else {
                            json.skipChildren();
                        }
                    }
                    first = false;
                }
            } else {
                json.skipChildren();
            }
        }
    }

    private static final String ICC_PROFILE = key(Tag.ICCProfile);
    private static final String OPTICAL_PATH_SEQUENCE = key(Tag.OpticalPathSequence);
    private static final String TOTAL_COLUMNS = key(Tag.TotalPixelMatrixColumns);
    private static final String TOTAL_ROWS = key(Tag.TotalPixelMatrixRows);
    private static final String BITS_STORED = key(Tag.BitsStored);
    private static final String PLANAR_CONFIGURATION = key(Tag.PlanarConfiguration);
    /** The Image Pixel module's format, and what virtual pyramid levels need. */
    private static final List<String> FORMAT_TAGS = keys(Tag.BitsStored, Tag.PhotometricInterpretation,
            Tag.PlanarConfiguration, Tag.PixelRepresentation, Tag.TotalPixelMatrixColumns, Tag.TotalPixelMatrixRows,
            Tag.DimensionOrganizationType);

    /** In this order: what a frame's size is made of. */
    private static final List<String> PIXEL_TAGS = keys(Tag.Rows, Tag.Columns, Tag.SamplesPerPixel, Tag.BitsAllocated);

    /** The first of an attribute's values (the parser at its object); null when it has none. */
    private static String firstValue(JsonParser json) throws IOException {
        String first = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            if (first == null && "Value".equals(field) && json.currentToken() == JsonToken.START_ARRAY
                    && json.nextToken() != JsonToken.END_ARRAY) {
                first = json.getValueAsString();
                while (json.nextToken() != JsonToken.END_ARRAY) {
                    json.skipChildren();
                }
                continue;
            }
            json.skipChildren();
        }
        return first;
    }

    private static byte[] randomKey() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }
}
