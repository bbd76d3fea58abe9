package org.framecache.proxy.image.codec;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * Encodes with libjxl, single-threaded, at the library's default effort (7, as cjxl): 8-bit pixels as a JPEG XL
 * codestream, or a JPEG recompressed losslessly with its reconstruction data. Native buffers are freed before
 * returning.
 */
final class JxlEncoding {
    /** the encoded stream is written in chunks; it never needs to exceed raw pixels by much */
    private static final int FIRST_OUTPUT_CHUNK = 64 << 10;

    private JxlEncoding() {
    }

    /**
     * cjxl 0.7's mapping of -q to butteraugli distance (checked here: cjxl -q Q writes the same bytes as cjxl -d of
     * this): 100 mathematically lossless, 90 visually lossless (1.0), 95 is 0.55.
     *
     * @return the distance, 0 for lossless
     */
    static double distance(int quality) {
        if (quality >= 100) {
            return 0;
        }
        return quality >= 30 ? 0.1 + (100 - quality) * 0.09 : 6.4 + Math.pow(2.5, (30 - quality) / 5.0) / 6.25;
    }

    static byte[] pixels(BufferedImage image, int quality, byte[] iccProfile) throws IOException {
        JxlLibrary.Api api = JxlLibrary.require();
        if (image == null) {
            throw new IOException("no image");
        }
        int width = image.getWidth();
        int height = image.getHeight();
        if ((long) width * height > FrameBounds.MAX_PIXELS) {
            throw new IOException("image of " + width + "x" + height + " too large");
        }
        if (quality < 1 || quality > 100) {
            throw new IOException("quality " + quality + " out of range 1..100");
        }
        boolean gray = image.getType() == BufferedImage.TYPE_BYTE_GRAY;
        int channels = gray ? 1 : 3;
        boolean lossless = quality == 100;
        Pointer enc = null;
        try (Memory samples = samples(image, gray); Memory info = new Memory(JxlLibrary.BASIC_INFO_SIZE);
                Memory pixelFormat = new Memory(JxlLibrary.PIXEL_FORMAT_SIZE);
                Memory colour = new Memory(JxlLibrary.COLOR_ENCODING_SIZE)) {
            enc = create(api);
            info.clear();
            api.JxlEncoderInitBasicInfo(info);
            info.setInt(JxlLibrary.BASIC_XSIZE, width);
            info.setInt(JxlLibrary.BASIC_YSIZE, height);
            info.setInt(JxlLibrary.BASIC_BITS_PER_SAMPLE, 8);
            info.setInt(JxlLibrary.BASIC_NUM_COLOR_CHANNELS, channels);
            info.setInt(JxlLibrary.BASIC_ALPHA_BITS, 0);
            // lossless keeps the samples as they are; lossy works in XYB, as cjxl does
            info.setInt(JxlLibrary.BASIC_USES_ORIGINAL_PROFILE, lossless ? 1 : 0);
            ok(api, enc, api.JxlEncoderSetBasicInfo(enc, info), "setting the basic info");
            if (iccProfile != null) {
                ok(api, enc, api.JxlEncoderSetICCProfile(enc, iccProfile, iccProfile.length), "setting the ICC profile");
            } else {
                colour.clear();
                api.JxlColorEncodingSetToSRGB(colour, gray ? 1 : 0);
                ok(api, enc, api.JxlEncoderSetColorEncoding(enc, colour), "setting sRGB");
            }
            Pointer settings = api.JxlEncoderFrameSettingsCreate(enc, null);
            if (settings == null) {
                throw new IOException("libjxl could not create frame settings");
            }
            if (lossless) {
                ok(api, enc, api.JxlEncoderSetFrameLossless(settings, 1), "setting lossless");
            } else {
                ok(api, enc, api.JxlEncoderSetFrameDistance(settings, (float) distance(quality)), "setting the distance");
            }
            JxlLibrary.eightBitFormat(pixelFormat, channels);
            ok(api, enc, api.JxlEncoderAddImageFrame(settings, pixelFormat, samples, samples.size()), "adding the frame");
            api.JxlEncoderCloseInput(enc);
            return output(api, enc, 4L * samples.size() + (1 << 20));
        } finally {
            if (enc != null) {
                api.JxlEncoderDestroy(enc);
            }
        }
    }

    /** a baseline or progressive JPEG as JPEG XL with the data to rebuild it byte for byte (a 'jbrd' box) */
    static byte[] recompress(byte[] jpeg) throws IOException {
        JxlLibrary.Api api = JxlLibrary.require();
        JpegFrameHeader.check(jpeg);
        Pointer enc = null;
        try (Memory input = new Memory(jpeg.length)) {
            input.write(0, jpeg, 0, jpeg.length);
            enc = create(api);
            ok(api, enc, api.JxlEncoderStoreJPEGMetadata(enc, 1), "storing the JPEG reconstruction data");
            Pointer settings = api.JxlEncoderFrameSettingsCreate(enc, null);
            if (settings == null) {
                throw new IOException("libjxl could not create frame settings");
            }
            ok(api, enc, api.JxlEncoderAddJPEGFrame(settings, input, jpeg.length), "reading the JPEG");
            api.JxlEncoderCloseInput(enc);
            return output(api, enc, 2L * jpeg.length + (1 << 20));
        } finally {
            if (enc != null) {
                api.JxlEncoderDestroy(enc);
            }
        }
    }

    private static Pointer create(JxlLibrary.Api api) throws IOException {
        Pointer enc = api.JxlEncoderCreate(null);
        if (enc == null) {
            throw new IOException("libjxl could not create an encoder");
        }
        return enc;
    }

    /** the encoded bytes, written into native chunks; limit: more than this is a runaway */
    private static byte[] output(JxlLibrary.Api api, Pointer enc, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long chunk = FIRST_OUTPUT_CHUNK;
        while (true) {
            try (Memory buffer = new Memory(chunk)) {
                PointerByReference next = new PointerByReference(buffer);
                LongByReference available = new LongByReference(chunk);
                int status = api.JxlEncoderProcessOutput(enc, next, available);
                int written = (int) (chunk - available.getValue());
                out.write(buffer.getByteArray(0, written), 0, written);
                if (status == JxlLibrary.ENC_SUCCESS) {
                    return out.toByteArray();
                }
                if (status != JxlLibrary.ENC_NEED_MORE_OUTPUT) {
                    throw new IOException("libjxl failed encoding (error " + api.JxlEncoderGetError(enc) + ")");
                }
                if (out.size() > limit) {
                    throw new IOException("JPEG XL output larger than " + limit + " bytes");
                }
                chunk = Math.min(chunk * 2, 16L << 20);
            }
        }
    }

    /** 8-bit samples in rows: one a pixel for TYPE_BYTE_GRAY, else R, G, B (any other type converted to sRGB) */
    private static Memory samples(BufferedImage image, boolean gray) {
        int width = image.getWidth();
        int height = image.getHeight();
        Memory samples = new Memory((long) width * height * (gray ? 1 : 3));
        if (gray) {
            byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            if (image.getRaster().getParent() == null && data.length == width * height) {
                samples.write(0, data, 0, data.length);
            } else {
                byte[] row = new byte[width];
                for (int y = 0; y < height; y++) {
                    image.getRaster().getDataElements(0, y, width, 1, row);
                    samples.write((long) y * width, row, 0, width);
                }
            }
            return samples;
        }
        int[] argb = new int[width];
        byte[] row = new byte[width * 3];
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, argb, 0, width);
            for (int x = 0, i = 0; x < width; x++) {
                row[i++] = (byte) (argb[x] >> 16);
                row[i++] = (byte) (argb[x] >> 8);
                row[i++] = (byte) argb[x];
            }
            samples.write((long) y * row.length, row, 0, row.length);
        }
        return samples;
    }

    private static void ok(JxlLibrary.Api api, Pointer enc, int status, String step) throws IOException {
        if (status != JxlLibrary.ENC_SUCCESS) {
            throw new IOException("libjxl failed " + step + " (error " + api.JxlEncoderGetError(enc) + ")");
        }
    }
}
