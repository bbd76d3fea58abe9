package org.framecache.proxy.image.codec;

import static org.framecache.proxy.image.codec.JxlLibrary.API;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;

import org.framecache.proxy.image.PixelFormat;

/**
 * Decodes one JPEG XL frame with libjxl, single-threaded (no parallel runner: the caller's pool is the only one):
 * to 8-bit pixels, or back to the JPEG it was made from (JPEG reconstruction). The size in the header is checked
 * before any pixel buffer is made; every native buffer is freed before returning.
 */
final class JxlDecoding {
    /** a frame has a handful of events; more means something is looping */
    private static final int MAX_EVENTS = 64;
    /** a reconstructed JPEG never needs more than this, whatever its header says */
    private static final long MAX_JPEG_BYTES = 512L << 20;

    private JxlDecoding() {
    }

    /** 8-bit gray or RGB, as the codestream's colour channels say (the codec converts to 8 bits with rounding) */
    static BufferedImage pixels(byte[] frame, PixelFormat format) throws IOException {
        JxlLibrary.require();
        FrameBounds.checkFormat(format);
        Pointer dec = null;
        try (Memory input = nativeCopy(frame); Memory info = new Memory(JxlLibrary.BASIC_INFO_SIZE);
                Memory pixelFormat = new Memory(JxlLibrary.PIXEL_FORMAT_SIZE)) {
            dec = start(input, frame.length, JxlLibrary.DEC_BASIC_INFO | JxlLibrary.DEC_FULL_IMAGE);
            Memory out = null;
            int channels = 0;
            try {
                for (int event = 0; event < MAX_EVENTS; event++) {
                    int status = API.JxlDecoderProcessInput(dec);
                    switch (status) {
                        case JxlLibrary.DEC_BASIC_INFO -> {
                            info.clear();
                            ok(API.JxlDecoderGetBasicInfo(dec, info), "reading the basic info");
                            channels = info.getInt(JxlLibrary.BASIC_NUM_COLOR_CHANNELS);
                            FrameBounds.checkDeclared(format, u32(info, JxlLibrary.BASIC_XSIZE),
                                    u32(info, JxlLibrary.BASIC_YSIZE), channels);
                        }
                        case JxlLibrary.DEC_NEED_IMAGE_OUT_BUFFER -> {
                            JxlLibrary.eightBitFormat(pixelFormat, channels);
                            LongByReference size = new LongByReference();
                            ok(API.JxlDecoderImageOutBufferSize(dec, pixelFormat, size), "sizing the output");
                            long expected = (long) format.rows() * format.columns() * channels;
                            if (size.getValue() != expected) {
                                throw new IOException("JPEG XL output of " + size.getValue() + " bytes, expected "
                                        + expected);
                            }
                            out = new Memory(expected);
                            ok(API.JxlDecoderSetImageOutBuffer(dec, pixelFormat, out, expected), "setting the output");
                        }
                        case JxlLibrary.DEC_FULL_IMAGE -> {
                            if (out == null) {
                                throw new IOException("JPEG XL frame decoded without an output buffer");
                            }
                            return image(out, format, channels);
                        }
                        default -> fail(status, "pixels");
                    }
                }
                throw new IOException("JPEG XL frame: too many decoder events");
            } finally {
                if (out != null) {
                    out.close();
                }
            }
        } finally {
            if (dec != null) {
                API.JxlDecoderDestroy(dec);
            }
        }
    }

    /** the JPEG stored in a JPEG XL frame's reconstruction data ('jbrd' box), byte for byte */
    static byte[] jpeg(byte[] frame) throws IOException {
        Pointer dec = null;
        Memory buffer = null;
        try (Memory input = nativeCopy(frame); Memory info = new Memory(JxlLibrary.BASIC_INFO_SIZE)) {
            dec = start(input, frame.length, JxlLibrary.DEC_BASIC_INFO | JxlLibrary.DEC_JPEG_RECONSTRUCTION
                    | JxlLibrary.DEC_FULL_IMAGE);
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            long limit = 0;
            for (int event = 0; event < MAX_EVENTS; event++) {
                int status = API.JxlDecoderProcessInput(dec);
                switch (status) {
                    case JxlLibrary.DEC_BASIC_INFO -> {
                        info.clear();
                        ok(API.JxlDecoderGetBasicInfo(dec, info), "reading the basic info");
                        long pixels = u32(info, JxlLibrary.BASIC_XSIZE) * u32(info, JxlLibrary.BASIC_YSIZE);
                        if (pixels <= 0 || pixels > FrameBounds.MAX_PIXELS) {
                            throw new IOException("JPEG XL frame of " + pixels + " pixels out of range");
                        }
                        // a JPEG of these pixels is at most a few bytes a sample, plus what the frame carries
                        limit = Math.min(MAX_JPEG_BYTES, pixels * 12 + 16L * frame.length + (1 << 20));
                    }
                    case JxlLibrary.DEC_JPEG_RECONSTRUCTION -> {
                        if (limit == 0) {
                            throw new IOException("JPEG XL reconstruction data before the basic info");
                        }
                        buffer = new Memory(Math.min(limit, Math.max(64 << 10, 2L * frame.length)));
                        ok(API.JxlDecoderSetJPEGBuffer(dec, buffer, buffer.size()), "setting the JPEG buffer");
                    }
                    case JxlLibrary.DEC_JPEG_NEED_MORE_OUTPUT -> {
                        drain(dec, buffer, jpeg);
                        long next = Math.min(limit - jpeg.size(), buffer.size() * 2);
                        if (next <= 0) {
                            throw new IOException("reconstructed JPEG larger than " + limit + " bytes");
                        }
                        buffer.close();
                        buffer = new Memory(next);
                        ok(API.JxlDecoderSetJPEGBuffer(dec, buffer, buffer.size()), "setting the JPEG buffer");
                    }
                    case JxlLibrary.DEC_NEED_IMAGE_OUT_BUFFER ->
                        throw new IOException("JPEG XL frame has no JPEG reconstruction data");
                    case JxlLibrary.DEC_FULL_IMAGE -> {
                        if (buffer == null) {
                            throw new IOException("JPEG XL frame has no JPEG reconstruction data");
                        }
                        drain(dec, buffer, jpeg);
                        return jpeg.toByteArray();
                    }
                    default -> fail(status, "JPEG reconstruction");
                }
            }
            throw new IOException("JPEG XL frame: too many decoder events");
        } finally {
            if (dec != null) {
                API.JxlDecoderDestroy(dec);
            }
            if (buffer != null) {
                buffer.close();
            }
        }
    }

    private static Pointer start(Memory input, int length, int events) throws IOException {
        Pointer dec = API.JxlDecoderCreate(null);
        if (dec == null) {
            throw new IOException("libjxl could not create a decoder");
        }
        try {
            ok(API.JxlDecoderSubscribeEvents(dec, events), "subscribing to events");
            ok(API.JxlDecoderSetInput(dec, input, length), "setting the input");
            API.JxlDecoderCloseInput(dec);
            return dec;
        } catch (IOException e) {
            API.JxlDecoderDestroy(dec);
            throw e;
        }
    }

    /** appends what the codec wrote to the JPEG buffer since it was set */
    private static void drain(Pointer dec, Memory buffer, ByteArrayOutputStream jpeg) {
        long unused = API.JxlDecoderReleaseJPEGBuffer(dec);
        int used = (int) (buffer.size() - unused);
        jpeg.write(buffer.getByteArray(0, used), 0, used);
    }

    private static Memory nativeCopy(byte[] frame) throws IOException {
        JxlLibrary.require();
        if (frame == null || frame.length == 0) {
            throw new IOException("empty JPEG XL frame");
        }
        if (!JxlLibrary.isJxl(frame)) {
            throw new IOException("not a JPEG XL codestream or container");
        }
        Memory input = new Memory(frame.length);
        input.write(0, frame, 0, frame.length);
        return input;
    }

    private static BufferedImage image(Memory out, PixelFormat format, int channels) throws IOException {
        int width = format.columns();
        int height = format.rows();
        boolean monochrome1 = EightBitPixels.isMonochrome1(format.photometric());
        if (channels == 1) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            byte[] gray = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            out.read(0, gray, 0, gray.length);
            if (monochrome1) {
                for (int i = 0; i < gray.length; i++) {
                    gray[i] = (byte) (255 - (gray[i] & 0xFF));
                }
            }
            return image;
        }
        if (channels != 3) {
            throw new IOException("JPEG XL frame with " + channels + " colour channels");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        byte[] row = new byte[width * 3];
        for (int y = 0; y < height; y++) {
            out.read((long) y * row.length, row, 0, row.length);
            for (int x = 0, i = 0; x < width; x++, i += 3) {
                rgb[y * width + x] = ((row[i] & 0xFF) << 16) | ((row[i + 1] & 0xFF) << 8) | (row[i + 2] & 0xFF);
            }
        }
        return image;
    }

    private static void fail(int status, String what) throws IOException {
        throw new IOException(switch (status) {
            case JxlLibrary.DEC_ERROR -> "invalid JPEG XL frame (" + what + ")";
            case JxlLibrary.DEC_NEED_MORE_INPUT -> "truncated JPEG XL frame (" + what + ")";
            case JxlLibrary.DEC_SUCCESS -> "JPEG XL frame ended before its image (" + what + ")";
            default -> "unexpected JPEG XL decoder status " + status + " (" + what + ")";
        });
    }

    private static void ok(int status, String step) throws IOException {
        if (status != JxlLibrary.DEC_SUCCESS) {
            throw new IOException("libjxl failed " + step);
        }
    }

    private static long u32(Pointer p, long offset) {
        return Integer.toUnsignedLong(p.getInt(offset));
    }
}
