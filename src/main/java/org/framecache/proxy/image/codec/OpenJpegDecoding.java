package org.framecache.proxy.image.codec;

import static org.framecache.proxy.image.codec.OpenJpegLibrary.API;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import org.framecache.proxy.image.PixelFormat;

/**
 * Decodes one JPEG 2000 or HTJ2K frame (a raw codestream as DICOM stores it, PS3.5 A.4.4, or a JP2 file) from memory
 * with libopenjp2. The codec reads the frame's bytes through stream callbacks straight from the Java array (no native
 * copy of the frame); the callbacks are shared by every call and find their frame by the stream's user-data key, so
 * decoding is thread-safe with no per-call native trampolines. The header is checked against the instance's pixel
 * format before any tile is decoded. Inverse RCT/ICT (YBR_RCT/YBR_ICT) is done by the codec; the output is RGB.
 */
final class OpenJpegDecoding {
    private static final byte[] J2K_SIGNATURE = {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51};
    private static final byte[] JP2_SIGNATURE = {0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, (byte) 0x87, 0x0A};
    /** the codec reads the frame in one go when it is small; bigger frames in 1 MiB chunks (OpenJPEG's default) */
    private static final int MAX_STREAM_BUFFER = 1 << 20;

    /** one frame being read: the bytes, where the codec is, and the first error it reported */
    private static final class Source {
        final byte[] bytes;
        int position;
        String error;

        Source(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    private static final AtomicLong KEYS = new AtomicLong();
    private static final Map<Long, Source> SOURCES = new ConcurrentHashMap<>();

    private static Source source(Pointer key) {
        return SOURCES.get(Pointer.nativeValue(key));
    }

    // callbacks never throw: an exception must not unwind through native frames
    private static final OpenJpegLibrary.ReadFunction READ = (buffer, bytes, key) -> {
        Source s = source(key);
        if (s == null || s.position >= s.bytes.length || bytes <= 0) {
            return -1L;
        }
        int n = (int) Math.min(bytes, s.bytes.length - s.position);
        buffer.write(0, s.bytes, s.position, n);
        s.position += n;
        return n;
    };
    private static final OpenJpegLibrary.SkipFunction SKIP = (bytes, key) -> {
        Source s = source(key);
        // never 0 for a positive request: OpenJPEG would loop asking again
        if (s == null || bytes < 0 || s.position >= s.bytes.length) {
            return -1L;
        }
        long n = Math.min(bytes, s.bytes.length - s.position);
        s.position += (int) n;
        return n;
    };
    private static final OpenJpegLibrary.SeekFunction SEEK = (position, key) -> {
        Source s = source(key);
        if (s == null || position < 0 || position > s.bytes.length) {
            return 0;
        }
        s.position = (int) position;
        return 1;
    };
    private static final OpenJpegLibrary.MessageFunction ERROR = (message, key) -> {
        Source s = source(key);
        if (s != null && s.error == null && message != null) {
            s.error = message.strip();
        }
    };
    private static final OpenJpegLibrary.MessageFunction IGNORE = (message, key) -> {
    };

    private OpenJpegDecoding() {
    }

    /**
     * @param reduce resolution levels to discard (0: full size); the output is then ceil(size / 2^reduce)
     */
    static BufferedImage decode(byte[] frame, PixelFormat format, int reduce) throws IOException {
        if (API == null) {
            throw new IOException(OpenJpegLibrary.UNAVAILABLE);
        }
        FrameBounds.checkFormat(format);
        if (frame == null) {
            throw new IOException("no frame");
        }
        int codecFormat;
        if (startsWith(frame, J2K_SIGNATURE)) {
            codecFormat = OpenJpegLibrary.CODEC_J2K;
        } else if (startsWith(frame, JP2_SIGNATURE)) {
            codecFormat = OpenJpegLibrary.CODEC_JP2;
        } else {
            throw new IOException("not a JPEG 2000 codestream (no SOC/SIZ marker, no JP2 signature)");
        }
        if (reduce < 0 || reduce > 32) {
            throw new IOException("resolution reduction " + reduce + " out of range");
        }
        long key = KEYS.incrementAndGet();
        Source source = new Source(frame);
        SOURCES.put(key, source);
        Pointer keyPointer = new Pointer(key);
        Pointer codec = null;
        Pointer stream = null;
        Pointer image = null;
        try (Memory parameters = new Memory(OpenJpegLibrary.DECODER_PARAMETERS_SIZE)) {
            codec = API.opj_create_decompress(codecFormat);
            if (codec == null) {
                throw new IOException("OpenJPEG could not create a decoder");
            }
            API.opj_set_error_handler(codec, ERROR, keyPointer);
            API.opj_set_warning_handler(codec, IGNORE, null);
            parameters.clear();
            API.opj_set_default_decoder_parameters(parameters);
            check(API.opj_setup_decoder(codec, parameters), "setting up the decoder", source);
            // a truncated codestream is an error, not a partly grey frame
            check(API.opj_decoder_set_strict_mode(codec, 1), "setting strict mode", source);
            // no thread pool of the codec's own: the caller's pool is the only one
            check(API.opj_codec_set_threads(codec, 0), "setting threads", source);

            stream = API.opj_stream_create(Math.min(frame.length, MAX_STREAM_BUFFER), 1);
            if (stream == null) {
                throw new IOException("OpenJPEG could not create a stream");
            }
            API.opj_stream_set_read_function(stream, READ);
            API.opj_stream_set_skip_function(stream, SKIP);
            API.opj_stream_set_seek_function(stream, SEEK);
            API.opj_stream_set_user_data(stream, keyPointer, null);
            API.opj_stream_set_user_data_length(stream, frame.length);

            PointerByReference imageRef = new PointerByReference();
            int headerRead = API.opj_read_header(stream, codec, imageRef);
            image = imageRef.getValue();
            check(headerRead, "reading the header", source);
            if (image == null) {
                throw new IOException("JPEG 2000 header has no image");
            }
            checkHeader(image, format);
            if (reduce > 0) {
                check(API.opj_set_decoded_resolution_factor(codec, reduce), "reducing the resolution", source);
            }
            check(API.opj_decode(codec, stream, image), "decoding", source);
            check(API.opj_end_decompress(codec, stream), "ending decoding", source);
            return pixels(image, format, reduce);
        } finally {
            SOURCES.remove(key);
            if (image != null) {
                API.opj_image_destroy(image);
            }
            if (stream != null) {
                API.opj_stream_destroy(stream);
            }
            if (codec != null) {
                API.opj_destroy_codec(codec);
            }
        }
    }

    /** the declared size and components equal the instance's (hostile input: before any tile is decoded) */
    private static void checkHeader(Pointer image, PixelFormat format) throws IOException {
        long width = u32(image, OpenJpegLibrary.IMAGE_X1) - u32(image, OpenJpegLibrary.IMAGE_X0);
        long height = u32(image, OpenJpegLibrary.IMAGE_Y1) - u32(image, OpenJpegLibrary.IMAGE_Y0);
        long components = u32(image, OpenJpegLibrary.IMAGE_NUMCOMPS);
        if (components < 1 || components > 4) {
            throw new IOException("codestream has " + components + " components");
        }
        FrameBounds.checkDeclared(format, width, height, (int) components);
        Pointer comps = image.getPointer(OpenJpegLibrary.IMAGE_COMPS);
        if (comps == null) {
            throw new IOException("JPEG 2000 header has no components");
        }
        for (int c = 0; c < components; c++) {
            Pointer comp = comps.share((long) c * OpenJpegLibrary.COMP_SIZE);
            long dx = u32(comp, OpenJpegLibrary.COMP_DX);
            long dy = u32(comp, OpenJpegLibrary.COMP_DY);
            if (dx != 1 || dy != 1) {
                throw new IOException("subsampled components (" + dx + "x" + dy + ") not supported");
            }
            long precision = u32(comp, OpenJpegLibrary.COMP_PREC);
            if (precision < 1 || precision > 16) {
                throw new IOException("component precision " + precision + " not supported (1..16 bits)");
            }
        }
    }

    private static BufferedImage pixels(Pointer image, PixelFormat format, int reduce) throws IOException {
        int components = (int) u32(image, OpenJpegLibrary.IMAGE_NUMCOMPS);
        Pointer comps = image.getPointer(OpenJpegLibrary.IMAGE_COMPS);
        int expectedWidth = ceilShift(format.columns(), reduce);
        int expectedHeight = ceilShift(format.rows(), reduce);
        int precision = 0;
        boolean signed = false;
        int[][] samples = new int[components][];
        for (int c = 0; c < components; c++) {
            Pointer comp = comps.share((long) c * OpenJpegLibrary.COMP_SIZE);
            long w = u32(comp, OpenJpegLibrary.COMP_W);
            long h = u32(comp, OpenJpegLibrary.COMP_H);
            int prec = (int) u32(comp, OpenJpegLibrary.COMP_PREC);
            boolean sgnd = u32(comp, OpenJpegLibrary.COMP_SGND) != 0;
            if (w != expectedWidth || h != expectedHeight) {
                throw new IOException("decoded component " + c + " is " + w + "x" + h + ", expected "
                        + expectedWidth + "x" + expectedHeight);
            }
            if (c > 0 && (prec != precision || sgnd != signed)) {
                throw new IOException("components of different precision not supported");
            }
            precision = prec;
            signed = sgnd;
            Pointer data = comp.getPointer(OpenJpegLibrary.COMP_DATA);
            if (data == null) {
                throw new IOException("component " + c + " was not decoded");
            }
            samples[c] = data.getIntArray(0, expectedWidth * expectedHeight);
        }
        if (components == 1) {
            return EightBitPixels.gray(samples[0], expectedWidth, expectedHeight, precision, signed,
                    EightBitPixels.isMonochrome1(format.photometric()));
        }
        // the codec undoes RCT/ICT itself; YCbCr it leaves alone is a JP2 saying sYCC or an instance saying YBR_FULL
        boolean ybr = EightBitPixels.isYbrFull(format.photometric())
                || image.getInt(OpenJpegLibrary.IMAGE_COLOR_SPACE) == OpenJpegLibrary.CLRSPC_SYCC;
        return EightBitPixels.rgb(samples[0], samples[1], samples[2], expectedWidth, expectedHeight, precision,
                signed, ybr);
    }

    private static int ceilShift(int size, int reduce) {
        return (int) ((size + (1L << reduce) - 1) >> reduce);
    }

    private static long u32(Pointer p, long offset) {
        return Integer.toUnsignedLong(p.getInt(offset));
    }

    private static void check(int ok, String step, Source source) throws IOException {
        if (ok == 0) {
            throw new IOException("JPEG 2000 " + step + " failed"
                    + (source.error == null ? "" : ": " + source.error));
        }
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
