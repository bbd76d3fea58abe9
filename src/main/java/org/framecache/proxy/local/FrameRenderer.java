package org.framecache.proxy.local;

import java.awt.image.BufferedImage;
import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import org.framecache.proxy.dicom.Tag;
import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.image.FrameDecoder;
import org.framecache.proxy.image.ImageEncoder;
import org.framecache.proxy.image.JdkJpegDecoder;
import org.framecache.proxy.image.JpegEncoder;
import org.framecache.proxy.image.NativeFrameDecoder;
import org.framecache.proxy.image.PixelFormat;
import org.framecache.proxy.image.PngEncoder;

/**
 * Renders one stored frame as image/jpeg or image/png (PS3.18 §8.3.5.1 rendered media types) with the proxy's pure-Java
 * codecs ({@link JdkJpegDecoder}, {@link NativeFrameDecoder}, {@link JpegEncoder}, {@link PngEncoder}): baseline JPEG
 * frames are sent as stored when JPEG is wanted without a quality (no decode, no loss); other JPEG frames and native
 * pixel data are decoded. Anything else (JPEG 2000, JPEG-LS, RLE, ...) is refused with 406 here: the local store
 * has no other codec.
 */
final class FrameRenderer {
    public static final String JPEG = "image/jpeg";
    public static final String PNG = "image/png";
    private static final int DEFAULT_QUALITY = 90;

    private final JdkJpegDecoder jpegDecoder = new JdkJpegDecoder();
    private final NativeFrameDecoder nativeDecoder = new NativeFrameDecoder();
    private final ImageEncoder jpegEncoder = new JpegEncoder();
    private final ImageEncoder pngEncoder = new PngEncoder();

    /** How a stored frame's pixels are laid out (PS3.3 C.7.6.3). */
    public record Pixels(String transferSyntax, int rows, int columns, int samplesPerPixel, int bitsAllocated,
            int bitsStored, String photometric, int planarConfiguration, boolean signed) {

        /** The layout of an indexed instance's frames: its summary and the attributes the summary leaves out. */
        static Pixels of(DicomFolder.Instance instance) {
            JsonNode m = instance.metadata();
            return new Pixels(instance.summary().transferSyntaxUid(), instance.summary().rows(),
                    instance.summary().columns(), instance.summary().samplesPerPixel(),
                    instance.summary().bitsAllocated(), MetadataValues.firstInt(m, Tag.key(Tag.BitsStored)),
                    MetadataValues.firstText(m, Tag.key(Tag.PhotometricInterpretation)),
                    MetadataValues.firstInt(m, Tag.key(Tag.PlanarConfiguration)),
                    MetadataValues.firstInt(m, Tag.key(Tag.PixelRepresentation)) == 1);
        }

        PixelFormat format() {
            return new PixelFormat(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, photometric,
                    planarConfiguration, signed);
        }
    }

    /**
     * @param quality JPEG quality 1..100 (PS3.18 §8.3.5.1.2 "quality"), or 0 for the default
     */
    public byte[] render(byte[] frame, Pixels pixels, String mediaType, int quality) throws IOException {
        if (JPEG.equals(mediaType) && TransferSyntaxes.JPEG_BASELINE.equals(pixels.transferSyntax()) && quality == 0) {
            return frame;
        }
        BufferedImage image = decoderFor(pixels).decode(frame, pixels.format());
        ImageEncoder encoder = JPEG.equals(mediaType) ? jpegEncoder : pngEncoder;
        return encoder.encode(image, quality == 0 ? DEFAULT_QUALITY : quality, null);
    }

    private FrameDecoder decoderFor(Pixels p) {
        String ts = p.transferSyntax();
        if (jpegDecoder.transferSyntaxes().contains(ts)) {
            return jpegDecoder;
        }
        if (!nativeDecoder.transferSyntaxes().contains(ts)) {
            throw ProxyException.notAcceptable("frames stored as " + ts + " cannot be rendered here (no codec)");
        }
        if (!nativeDecoder.decodes(p.format())) {
            throw ProxyException.notAcceptable("cannot render " + p.samplesPerPixel() + " samples of "
                    + p.bitsAllocated() + " bits (" + p.photometric() + ")");
        }
        return nativeDecoder;
    }
}
