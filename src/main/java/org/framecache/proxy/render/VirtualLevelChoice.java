package org.framecache.proxy.render;

import java.util.Locale;

import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.access.InstanceImage;
import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.frames.StoredSyntaxes;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.image.ImageCodecs;
import org.framecache.proxy.image.PixelFormat;
import org.framecache.proxy.image.RenderParameters;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.inbound.Representation;
import org.framecache.proxy.inbound.VirtualLevel;

/**
 * Whether a request with downsample=N is for a virtual (downsampled) level of a TILED_FULL instance, its geometry,
 * and what its frames are made as.
 */
final class VirtualLevelChoice {
    /** Largest block of stored pixels one virtual frame is made from (its decoded canvas), as a side. */
    static final int MAX_BLOCK_SIDE = 2048;

    private final ImageCodecs codecs;
    private final StoredSyntaxes syntaxes;
    private final InstanceAccess access;

    VirtualLevelChoice(ImageCodecs codecs, StoredSyntaxes syntaxes, InstanceAccess access) {
        this.codecs = codecs;
        this.syntaxes = syntaxes;
        this.access = access;
    }

    /**
     * Raw frames of a virtual level (downsample=N on frames of a TILED_FULL instance): its geometry from the metadata,
     * the frame numbers checked against its NumberOfFrames (400), and what its frames are made as: the stored native
     * pixel layout for native instances, else baseline JPEG, as the client's Accept allows (406 otherwise). Cached
     * under their own key (stored syntax, factor, interpolation, output).
     */
    void chooseForRawFrames(FrameRequest request) {
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
        String interpolation = "&interpolation=" + p.interpolation().name().toLowerCase(Locale.ROOT);
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

    /**
     * Rendered frames with downsample=N of a tiled instance (TILED_FULL, its total pixel matrix larger than one frame)
     * are the frames of its virtual level, as the instance metadata with the same downsample describes them and as
     * the reference proxy renders them: frame k of the level, a tile of the stored size made from its block of stored
     * tiles. Of any other instance a frame is scaled down on its own.
     */
    void chooseForRenderedFrames(FrameRequest request) {
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
}
