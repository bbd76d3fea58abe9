package org.framecache.proxy.render;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiPredicate;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.access.InstanceImage;
import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.frames.InFlightFrames;
import org.framecache.proxy.frames.StoredSyntaxes;
import org.framecache.proxy.http.MediaType;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.image.FrameDecoder;
import org.framecache.proxy.image.FrameTranscoder;
import org.framecache.proxy.image.ImageCodecs;
import org.framecache.proxy.image.ImageEncoder;
import org.framecache.proxy.image.ImageOperations;
import org.framecache.proxy.image.PixelFormat;
import org.framecache.proxy.image.RenderParameters;
import org.framecache.proxy.image.StoredJpegColours;
import org.framecache.proxy.inbound.CachedFrame;
import org.framecache.proxy.inbound.FetchedFrame;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.RenderQuery;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.inbound.VirtualLevel;

/**
 * Rendered frames and client-capability transcoding made by the proxy from the stored frames: decides whether the
 * proxy can make what a request asks for (a decoder for the stored syntax works here, an encoder for the output),
 * gets the stored frames through the same cache and in-flight claims as the raw path (the stored-frames-for-rendering
 * route), and does the CPU work on the {@link RenderPool}. What the proxy cannot decode goes to the store's /rendered,
 * when the store can do what was asked.
 */
public final class RenderedFrames {
    /** Exchange property: the request the stored frames were fetched for, and its frames. */
    public static final String STORED_FRAMES = "storedFrames";
    private static final String OUTER_REQUEST = "renderedRequest";
    private static final String OUTER_MARKERS = "renderedReplicaMarkers";

    private final ImageCodecs codecs;
    private final ImageOperations operations;
    private final RenderPool pool;
    private final StoredSyntaxes syntaxes;
    private final InstanceAccess access;
    private final SourceIccProfiles sourceIccProfiles;
    private final boolean storeFallback;
    /** Stored syntax → why it is not decoded here (empty: it is), and media type → an encoder works here. */
    private final java.util.Map<String, Optional<String>> decoderReasons = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Boolean> encoders = new java.util.concurrent.ConcurrentHashMap<>();

    public RenderedFrames(ImageCodecs codecs, ImageOperations operations, RenderPool pool, StoredSyntaxes syntaxes,
                          InstanceAccess access, SourceIccProfiles sourceIccProfiles, boolean storeFallback) {
        this.codecs = codecs;
        this.operations = operations;
        this.pool = pool;
        this.syntaxes = syntaxes;
        this.access = access;
        this.sourceIccProfiles = sourceIccProfiles;
        this.storeFallback = storeFallback;
    }

    /** True when the instance's stored syntax is not known yet: its stored frames are fetched first (they tell it). */
    public boolean storedSyntaxUnknown(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request) {
        return syntaxes.stored(request) == null && !syntaxes.probed(request);
    }

    /**
     * The stored frames are in a syntax not taken here (or the store will not give them): not tried again for this
     * instance while that is remembered.
     */
    public void storedFramesUnusable(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request) {
        syntaxes.markProbed(request);
    }

    /**
     * The stored frames could not be had this time (the store errored, its answer was broken): nothing is remembered.
     * The store's own rendering answers when it can do what was asked; else the failure is the answer (502).
     */
    public void storedFramesFailed(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request,
                                   @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) throws Exception {
        if (!storeCanRender(request)) {
            throw failure;
        }
    }

    /** True when the store's /rendered is switched on and can make what the request asks (JPEG or PNG, no operation it lacks). */
    private boolean storeCanRender(FrameRequest request) {
        String mediaType = request.getRepresentation().mediaType();
        return storeFallback && RenderQuery.storeCannotDo(request.getRenderParameters()) == null
                && (mediaType.equals("image/jpeg") || mediaType.equals("image/png"));
    }

    /**
     * Who makes the rendered frames: the proxy, from the stored syntax (the representation becomes "rendered from" it,
     * its own cache key), when it decodes that syntax here and writes the media type; else the store's /rendered when
     * switched on and able to do what was asked; else 406 with the reason.
     */
    public void chooseRenderer(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request) {
        Representation asked = request.getRepresentation();
        String stored = syntaxes.stored(request);
        if (asked.producedByProxy()) {
            return;
        }
        String why = whyProxyCannotRender(request, stored);
        if (why == null) {
            asked = sameWishOneKey(request, asked);
            request.useRepresentation(asked.renderedFrom(stored));
            chooseRenderedLevel(request);
            return;
        }
        if (!storeCanRender(request)) {
            String cannot = RenderQuery.storeCannotDo(request.getRenderParameters());
            throw ProxyException.notAcceptable("cannot render these frames here: " + why
                    + (cannot != null ? " (and the store's rendering cannot do " + cannot + ")" : ""));
        }
        // the store's own rendering, under its own key ("rendered:"), never mistaken for the proxy's
    }

    /** A viewport region that is the whole frame is asked as the viewport without one: one wish, one cache key. */
    private Representation sameWishOneKey(FrameRequest request, Representation asked) {
        PixelFormat format = access.image(request).format();
        RenderParameters p = request.getRenderParameters();
        RenderParameters same = RenderQuery.wholeFrameAsNoRegion(p, format.columns(), format.rows());
        if (same == p) {
            return asked;
        }
        request.setRenderParameters(same);
        return Representation.rendered(asked.mediaType(), RenderQuery.canonical(same, asked.mediaType()));
    }

    private String whyProxyCannotRender(FrameRequest request, String stored) {
        if (stored == null) {
            return "the instance's stored transfer syntax is not known";
        }
        // what works here is found once (the hot path asks for every warm rendered tile)
        Optional<String> noDecoder = decoderReasons.computeIfAbsent(stored, codecs::whyNoDecoder);
        if (noDecoder.isPresent()) {
            return noDecoder.get();
        }
        if (!encoders.computeIfAbsent(request.getRepresentation().mediaType(), t -> codecs.encoder(t).isPresent())) {
            return "no encoder for " + request.getRepresentation().mediaType() + " works here";
        }
        InstanceImage image = access.image(request);
        if (image == null || image.format() == null) {
            return "the instance's metadata does not describe its pixels";
        }
        return null;
    }

    /**
     * Raw frames in a syntax the store does not hold: (stored syntax, wanted) → the proxy can make them from the stored
     * frames (a lossless transcoder, or decoding and writing baseline JPEG).
     */
    public static BiPredicate<String, Representation> transcodable(ImageCodecs codecs) {
        return (stored, wanted) -> {
            if (wanted.rendered() || wanted.isStored() || wanted.producedByProxy()
                    || Representation.ANY_SYNTAX.equals(wanted.transferSyntax()) || wanted.transferSyntax().equals(stored)) {
                return false;
            }
            if (codecs.transcoder(stored, wanted.transferSyntax()).isPresent()) {
                return true;
            }
            return TransferSyntaxes.JPEG_BASELINE.equals(wanted.transferSyntax()) && codecs.decoder(stored).isPresent()
                    && codecs.encoder("image/jpeg").isPresent();
        };
    }

    /** Largest block of stored pixels one virtual frame is made from (its decoded canvas), as a side. */
    static final int MAX_BLOCK_SIDE = 2048;

    /**
     * Raw frames of a virtual level (downsample=N on frames of a TILED_FULL instance): its geometry from the metadata,
     * the frame numbers checked against its NumberOfFrames (400), and what its frames are made as: the stored native
     * pixel layout for native instances, else baseline JPEG, as the client's Accept allows (406 otherwise). Cached
     * under their own key (stored syntax, factor, interpolation, output).
     */
    public void chooseVirtualLevel(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request) {
        if (!request.isVirtualLevelAsked() || request.getVirtualLevel() != null) {
            return;
        }
        RenderParameters p = request.getRenderParameters();
        InstanceImage image = access.image(request);
        if (image == null || !image.tiledFull() || image.format() == null || image.totalColumns() <= 0
                || image.totalRows() <= 0) {
            throw ProxyException.badRequest("downsample on frames needs a TILED_FULL instance with its total pixel matrix");
        }
        PixelFormat format = image.format();
        VirtualLevel level = levelOf(request, image, p);
        String stored = syntaxes.stored(request);
        if (stored == null) {
            throw new ProxyException(502, "the instance's stored transfer syntax could not be learned");
        }
        codecs.whyNoDecoder(stored).ifPresent(why -> {
            throw ProxyException.notAcceptable("cannot make a downsampled level here: " + why);
        });
        boolean nativeOut = TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN.equals(stored) && format.samplesPerPixel() == 3
                && format.bitsAllocated() == 8;
        String interpolation = "&interpolation=" + p.interpolation().name().toLowerCase(java.util.Locale.ROOT);
        for (Representation acceptable : request.getAcceptable()) {
            boolean any = acceptable.isStored();
            if (nativeOut && (any || acceptable.satisfiedBy(TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN))) {
                request.useRepresentation(Representation.virtualLevel("application/octet-stream",
                        TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN, "downsample=" + p.downsample() + interpolation, stored));
                request.setVirtualLevel(level);
                return;
            }
            if ((any || acceptable.satisfiedBy(TransferSyntaxes.JPEG_BASELINE)) && codecs.encoder("image/jpeg").isPresent()) {
                request.useRepresentation(Representation.virtualLevel("image/jpeg", TransferSyntaxes.JPEG_BASELINE,
                        "downsample=" + p.downsample() + interpolation + "&quality=" + p.quality(), stored));
                request.setVirtualLevel(level);
                return;
            }
        }
        throw ProxyException.notAcceptable("frames of a downsampled level are made as baseline JPEG"
                + (nativeOut ? " or as the stored native pixels" : "") + "; none is acceptable");
    }

    /** The virtual level downsample=N makes of a TILED_FULL instance; 400 beyond its frames or its largest block. */
    private static VirtualLevel levelOf(FrameRequest request, InstanceImage image, RenderParameters p) {
        PixelFormat format = image.format();
        if ((long) format.columns() * p.downsample() > MAX_BLOCK_SIDE || (long) format.rows() * p.downsample() > MAX_BLOCK_SIDE) {
            throw ProxyException.badRequest("downsample on frames of " + format.columns() + "x" + format.rows()
                    + " is at most " + Math.max(1, MAX_BLOCK_SIDE / Math.max(format.columns(), format.rows())));
        }
        VirtualLevel level = new VirtualLevel(p.downsample(), format.columns(), format.rows(), image.totalColumns(),
                image.totalRows());
        for (int frame : request.getFrames()) {
            if (frame > level.frameCount()) {
                throw ProxyException.badRequest("frame " + frame + " is out of range: the level downsampled by "
                        + p.downsample() + " has " + level.frameCount() + " frame" + (level.frameCount() == 1 ? "" : "s"));
            }
        }
        return level;
    }

    /**
     * Rendered frames with downsample=N of a tiled instance (TILED_FULL, its total pixel matrix larger than one frame)
     * are the frames of its virtual level, as the instance metadata with the same downsample describes them and as
     * the reference proxy renders them: frame k of the level, a tile of the stored size made from its block of stored
     * tiles. Of any other instance a frame is scaled down on its own.
     */
    private void chooseRenderedLevel(FrameRequest request) {
        RenderParameters p = request.getRenderParameters();
        if (p.downsample() <= 1 || request.getVirtualLevel() != null) {
            return;
        }
        InstanceImage image = access.image(request);
        if (image == null || !image.tiledFull() || image.format() == null || image.totalColumns() <= image.format().columns()
                && image.totalRows() <= image.format().rows()) {
            return;
        }
        request.setVirtualLevel(levelOf(request, image, p));
    }

    /** Before the stored-frames route: it works on a request for the stored bytes of the frames still missing. */
    public void switchToStoredFrames(Exchange exchange) {
        FrameRequest outer = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        int[] frames = outer.getMissing();
        if (outer.getVirtualLevel() != null) {
            // every stored tile of the blocks the missing virtual frames are made from
            frames = java.util.Arrays.stream(frames).boxed()
                    .flatMap(f -> outer.getVirtualLevel().sourceFrames(f).stream())
                    .distinct().mapToInt(Integer::intValue).toArray();
        }
        FrameRequest stored = new FrameRequest(outer.getStudy(), outer.getSeries(), outer.getInstance(), frames,
                Representation.stored(), null, outer.getForwardHeaders(), outer.getPublicBaseUrl());
        stored.setCallerFingerprint(outer.getCallerFingerprint());
        exchange.setProperty(OUTER_REQUEST, outer);
        Object markers = exchange.removeProperty(InFlightFrames.MARKERS);
        if (markers != null) {
            exchange.setProperty(OUTER_MARKERS, markers);
        }
        exchange.setProperty(FrameRequest.PROPERTY, stored);
    }

    /**
     * After it, whatever happened: the rendered (or transcoded) request is the exchange's again, with its replica
     * markers and the bytes the stored frames hold counted as its own (given back when it is done).
     */
    public void backToRequest(Exchange exchange) {
        FrameRequest outer = exchange.removeProperty(OUTER_REQUEST) instanceof FrameRequest r ? r : null;
        if (outer == null) {
            return;
        }
        FrameRequest stored = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        outer.holdBytes(stored.takeHeldBytes());
        exchange.setProperty(STORED_FRAMES, stored);
        exchange.setProperty(FrameRequest.PROPERTY, outer);
        Object markers = exchange.removeProperty(OUTER_MARKERS);
        if (markers != null) {
            exchange.setProperty(InFlightFrames.MARKERS, markers);
        }
    }

    /** Renders the request's missing frames from their stored frames, on the pool; the body becomes them. */
    public List<FetchedFrame> render(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request,
                                     @ExchangeProperty(STORED_FRAMES) FrameRequest stored) throws Exception {
        Representation representation = request.getRepresentation();
        RenderParameters parameters = request.getRenderParameters();
        PixelFormat format = access.image(request).format();
        byte[] sourceProfile = SourceIccProfiles.needed(parameters) ? sourceIccProfiles.sourceProfile(request) : null;
        ImageEncoder encoder = codecs.encoder(representation.mediaType()).orElseThrow(() ->
                ProxyException.notAcceptable("no encoder for " + representation.mediaType() + " works here"));
        byte[] outputProfile;
        try {
            outputProfile = parameters.embedIccProfile() ? operations.outputIccProfile(sourceProfile, parameters) : null;
        } catch (java.io.UncheckedIOException e) {
            throw new ProxyException(502, "the instance's ICC profile cannot be used: " + e.getMessage());
        }
        if (storedJpegAsItIs(request) && readAlikeAsStored(stored, request.getMissing(), format)) {
            // nothing to do to a baseline JPEG asked as JPEG: the stored image itself (no decode, no second loss)
            List<FetchedFrame> frames = new ArrayList<>();
            for (int frame : request.getMissing()) {
                frames.add(new FetchedFrame(frame, representation,
                        new CachedFrame(representation.mediaType(), storedFrame(stored, frame).bytes())));
            }
            return frames;
        }
        VirtualLevel level = request.getVirtualLevel();
        // of a virtual level, the level's tile is the frame to render (already scaled down)
        RenderParameters rest = level == null ? parameters : new RenderParameters(parameters.quality(), 1,
                parameters.interpolation(), parameters.viewport(), parameters.iccProfile(), parameters.embedIccProfile());
        List<Callable<FetchedFrame>> tasks = new ArrayList<>();
        for (int frame : request.getMissing()) {
            List<Integer> sources = level == null ? List.of(frame) : level.sourceFrames(frame);
            List<CachedFrame> tiles = new ArrayList<>(sources.size());
            for (int source : sources) {
                tiles.add(storedFrame(stored, source));
            }
            tasks.add(() -> {
                BufferedImage decoded = level == null ? decode(tiles.get(0), format, frame)
                        : levelTile(level, frame, sources, tiles, format, parameters.interpolation());
                BufferedImage done;
                try {
                    done = operations.apply(decoded, sourceProfile, rest);
                } catch (IllegalArgumentException e) {
                    throw ProxyException.badRequest(e.getMessage()); // e.g. a viewport region outside the frame
                } catch (java.io.UncheckedIOException e) {
                    throw new ProxyException(502, "the instance's ICC profile cannot be used: " + e.getMessage());
                }
                byte[] image = encoder.encode(done, parameters.quality(), outputProfile);
                return new FetchedFrame(frame, representation, new CachedFrame(representation.mediaType(), image));
            });
        }
        return pool.runAll(tasks, level == null ? renderBytes(pixels(format), parameters)
                : levelTileBytes(level, format) + renderBytes((long) level.frameRows() * level.frameColumns(), rest));
    }

    /**
     * Heap one task may hold at most, by what it decodes and makes (render.max-memory-bytes shares it out): a decoded
     * frame is its decoder's raster (up to 4 bytes a pixel) and a TYPE_INT_RGB image (4), plus one more image per
     * operation that makes a new one (downsample, viewport, ICC), plus the encoder's output: a 256x256 tile ~1 MiB,
     * a 2048x2048 frame ~48 MiB.
     */
    static long renderBytes(long decoded, RenderParameters p) {
        long out = decoded / ((long) p.downsample() * p.downsample());
        if (p.viewport() != null) {
            out = (long) p.viewport().vw() * p.viewport().vh();
        }
        long made = (p.downsample() > 1 ? out : 0) + (p.viewport() != null ? out : 0)
                + (p.iccProfile() == RenderParameters.IccProfile.NO ? 0 : out);
        long encoded = out * IMAGE_BYTES_PER_PIXEL; // an encoder's output at worst (PNG of noise), grown in a buffer
        return decoded * DECODE_BYTES_PER_PIXEL + made * IMAGE_BYTES_PER_PIXEL + encoded + SLACK;
    }

    private static long pixels(PixelFormat format) {
        return format == null ? UNKNOWN_FRAME_BYTES / DECODE_BYTES_PER_PIXEL : (long) format.rows() * format.columns();
    }

    private static final long IMAGE_BYTES_PER_PIXEL = 4;
    private static final long DECODE_BYTES_PER_PIXEL = 8;
    private static final long SLACK = 256 * 1024;
    /** a frame whose size the metadata does not give: as a 1024 x 1024 frame */
    private static final long UNKNOWN_FRAME_BYTES = 1024L * 1024 * DECODE_BYTES_PER_PIXEL;

    /**
     * True when the rendering changes nothing in a baseline JPEG: JPEG out at the default quality, no downsampling, no
     * viewport, no colour transform (iccprofile=no: nothing embedded either).
     */
    private static boolean storedJpegAsItIs(FrameRequest request) {
        RenderParameters p = request.getRenderParameters();
        return TransferSyntaxes.JPEG_BASELINE.equals(request.getRepresentation().source())
                && "image/jpeg".equals(request.getRepresentation().mediaType()) && p.quality() == RenderQuery.DEFAULT_QUALITY
                && p.downsample() == 1 && p.viewport() == null && p.iccProfile() == RenderParameters.IccProfile.NO;
    }

    /**
     * True when every stored JPEG shows, to a viewer reading it as an image file, the colours the proxy's decoding
     * gives (not so for RGB-coded frames whose markers leave the colour space to the Photometric Interpretation).
     */
    private static boolean readAlikeAsStored(FrameRequest stored, int[] frames, PixelFormat format) {
        String photometric = format == null ? null : format.photometric();
        for (int frame : frames) {
            if (!StoredJpegColours.sameForEveryReader(storedFrame(stored, frame).bytes(), photometric)) {
                return false;
            }
        }
        return true;
    }

    /** Transcodes the request's missing frames from their stored frames, on the pool; the body becomes them. */
    public List<FetchedFrame> transcode(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request,
                                        @ExchangeProperty(STORED_FRAMES) FrameRequest stored) throws Exception {
        if (request.getVirtualLevel() != null) {
            return virtualFrames(request, stored);
        }
        Representation representation = request.getRepresentation();
        String to = representation.transferSyntax();
        String partType = representation.mediaType() + "; transfer-syntax=" + to;
        InstanceImage image = access.image(request);
        PixelFormat format = image == null ? null : image.format();
        List<Callable<FetchedFrame>> tasks = new ArrayList<>();
        for (int frame : request.getMissing()) {
            CachedFrame source = storedFrame(stored, frame);
            String from = syntaxOf(source);
            Optional<FrameTranscoder> lossless = codecs.transcoder(from, to);
            tasks.add(() -> {
                byte[] bytes;
                if (lossless.isPresent()) {
                    bytes = lossless.get().transcode(source.bytes());
                } else {
                    ImageEncoder jpeg = codecs.encoder("image/jpeg").orElseThrow(() ->
                            ProxyException.notAcceptable("no JPEG encoder works here"));
                    bytes = jpeg.encode(decode(source, format, frame), RenderQuery.DEFAULT_QUALITY, null);
                }
                return new FetchedFrame(frame, representation, new CachedFrame(partType, bytes));
            });
        }
        return pool.runAll(tasks, format == null ? UNKNOWN_FRAME_BYTES : pixels(format) * DECODE_BYTES_PER_PIXEL + SLACK);
    }

    /**
     * Frames of a virtual level: each from its block of stored tiles, decoded into one canvas (white beyond the
     * stored tiles), downsampled by the factor to one tile, written as the level's representation.
     */
    private List<FetchedFrame> virtualFrames(FrameRequest request, FrameRequest stored) throws Exception {
        VirtualLevel level = request.getVirtualLevel();
        Representation representation = request.getRepresentation();
        RenderParameters asked = request.getRenderParameters();
        PixelFormat format = access.image(request).format();
        boolean jpeg = representation.mediaType().equals("image/jpeg");
        String partType = representation.mediaType() + "; transfer-syntax=" + representation.transferSyntax();
        List<Callable<FetchedFrame>> tasks = new ArrayList<>();
        for (int frame : request.getMissing()) {
            List<Integer> sources = level.sourceFrames(frame);
            List<CachedFrame> tiles = new ArrayList<>(sources.size());
            for (int source : sources) {
                tiles.add(storedFrame(stored, source));
            }
            tasks.add(() -> {
                BufferedImage tile = levelTile(level, frame, sources, tiles, format, asked.interpolation());
                byte[] bytes = jpeg ? codecs.encoder("image/jpeg").orElseThrow().encode(tile, asked.quality(), null)
                        : interleavedRgb(tile);
                return new FetchedFrame(frame, representation, new CachedFrame(partType, bytes));
            });
        }
        return pool.runAll(tasks, levelTileBytes(level, format));
    }

    /**
     * Frame {@code frame} of a virtual level: its block of stored tiles decoded into one canvas (white beyond the
     * stored tiles), scaled down by the level's factor; a level smaller than one tile is one frame of its own size.
     */
    private BufferedImage levelTile(VirtualLevel level, int frame, List<Integer> sources, List<CachedFrame> tiles,
                                    PixelFormat format, RenderParameters.Interpolation interpolation) throws Exception {
        int side = level.factor();
        BufferedImage canvas = new BufferedImage(level.tileColumns() * side, level.tileRows() * side,
                BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
            for (int i = 0; i < tiles.size(); i++) {
                int[] at = level.offsetInBlock(frame, sources.get(i));
                g.drawImage(decode(tiles.get(i), format, sources.get(i)), at[0], at[1], null);
            }
        } finally {
            g.dispose();
        }
        BufferedImage tile = operations.apply(canvas, null, new RenderParameters(RenderQuery.DEFAULT_QUALITY, side,
                interpolation, null, RenderParameters.IccProfile.NO, false));
        if (tile.getWidth() != level.frameColumns() || tile.getHeight() != level.frameRows()) {
            BufferedImage cropped = new BufferedImage(level.frameColumns(), level.frameRows(), BufferedImage.TYPE_INT_RGB);
            cropped.createGraphics().drawImage(tile, 0, 0, null);
            tile = cropped;
        }
        return tile;
    }

    /** Heap a level tile's task holds at most: the canvas and its scaled copy, one decoded stored tile, the output. */
    private static long levelTileBytes(VirtualLevel level, PixelFormat format) {
        long canvas = (long) level.tileColumns() * level.factor() * level.tileRows() * level.factor();
        return canvas * IMAGE_BYTES_PER_PIXEL * 2 + pixels(format) * DECODE_BYTES_PER_PIXEL + SLACK;
    }

    /** Native 8-bit RGB pixel data of an image (PlanarConfiguration 0: R, G, B per pixel, row by row). */
    private static byte[] interleavedRgb(BufferedImage image) {
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        byte[] rgb = new byte[pixels.length * 3];
        for (int i = 0; i < pixels.length; i++) {
            rgb[3 * i] = (byte) (pixels[i] >> 16);
            rgb[3 * i + 1] = (byte) (pixels[i] >> 8);
            rgb[3 * i + 2] = (byte) pixels[i];
        }
        return rgb;
    }

    private static CachedFrame storedFrame(FrameRequest stored, int frame) {
        CachedFrame source = stored == null ? null : stored.get(frame);
        if (source == null) {
            throw new ProxyException(502, "the stored frame " + frame + " was not at hand to render");
        }
        return source;
    }

    private BufferedImage decode(CachedFrame source, PixelFormat format, int frame) {
        String syntax = syntaxOf(source);
        FrameDecoder decoder = codecs.decoder(syntax).orElseThrow(() -> ProxyException.notAcceptable(
                "cannot decode frames stored as " + syntax + " here: " + codecs.whyNoDecoder(syntax).orElse("")));
        if (format == null) {
            throw new ProxyException(502, "the instance's metadata does not describe its pixels");
        }
        try {
            return decoder.decode(source.bytes(), format);
        } catch (IOException | RuntimeException e) {
            throw new ProxyException(502, "the stored frame " + frame + " could not be decoded: " + e.getMessage());
        }
    }

    private static String syntaxOf(CachedFrame frame) {
        String syntax = MediaType.parse(frame.contentType()).parameter("transfer-syntax");
        if (syntax == null) {
            throw new ProxyException(502, "the stored frame names no transfer syntax");
        }
        return syntax;
    }

    public RenderPool getPool() {
        return pool;
    }
}
