package org.framecache.proxy.image.codec;

import java.util.Optional;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The functions of libjxl 0.7 (Debian/Ubuntu package {@code libjxl0.7}) that decoding, encoding and JPEG
 * recompression need, loaded once. Loading never throws: when the library is missing, {@link #unavailable()} says
 * why. Struct offsets and enum values are those of the 0.7 headers on 64-bit Linux.
 */
final class JxlLibrary {
    static final String PACKAGE = "libjxl0.7";

    static final Api API;
    private static final String UNAVAILABLE;

    // JxlSignature
    static final int SIG_CODESTREAM = 2, SIG_CONTAINER = 3;
    // JxlDecoderStatus and events
    static final int DEC_SUCCESS = 0, DEC_ERROR = 1, DEC_NEED_MORE_INPUT = 2, DEC_NEED_IMAGE_OUT_BUFFER = 5,
            DEC_JPEG_NEED_MORE_OUTPUT = 6, DEC_BASIC_INFO = 0x40, DEC_FULL_IMAGE = 0x1000,
            DEC_JPEG_RECONSTRUCTION = 0x2000;
    // JxlEncoderStatus
    static final int ENC_SUCCESS = 0, ENC_NEED_MORE_OUTPUT = 2;
    // JxlDataType, JxlEndianness
    static final int TYPE_UINT8 = 2, NATIVE_ENDIAN = 0;

    /** sizeof(JxlBasicInfo) is 204 (it ends in padding kept for growth) */
    static final int BASIC_INFO_SIZE = 256;
    static final int BASIC_XSIZE = 4, BASIC_YSIZE = 8, BASIC_BITS_PER_SAMPLE = 12, BASIC_USES_ORIGINAL_PROFILE = 36,
            BASIC_NUM_COLOR_CHANNELS = 52, BASIC_ALPHA_BITS = 60;
    /** JxlPixelFormat: num_channels, data_type, endianness (uint32/enums), align (size_t at 16) */
    static final int PIXEL_FORMAT_SIZE = 24;
    /** sizeof(JxlColorEncoding) is 104 */
    static final int COLOR_ENCODING_SIZE = 128;

    interface Api extends Library {
        int JxlSignatureCheck(byte[] buf, long len);

        Pointer JxlDecoderCreate(Pointer memoryManager);

        void JxlDecoderDestroy(Pointer dec);

        int JxlDecoderSubscribeEvents(Pointer dec, int events);

        int JxlDecoderSetInput(Pointer dec, Pointer data, long size);

        void JxlDecoderCloseInput(Pointer dec);

        int JxlDecoderProcessInput(Pointer dec);

        int JxlDecoderGetBasicInfo(Pointer dec, Pointer info);

        int JxlDecoderImageOutBufferSize(Pointer dec, Pointer format, LongByReference size);

        int JxlDecoderSetImageOutBuffer(Pointer dec, Pointer format, Pointer buffer, long size);

        int JxlDecoderSetJPEGBuffer(Pointer dec, Pointer data, long size);

        long JxlDecoderReleaseJPEGBuffer(Pointer dec);

        Pointer JxlEncoderCreate(Pointer memoryManager);

        void JxlEncoderDestroy(Pointer enc);

        int JxlEncoderGetError(Pointer enc);

        void JxlEncoderInitBasicInfo(Pointer info);

        int JxlEncoderSetBasicInfo(Pointer enc, Pointer info);

        void JxlColorEncodingSetToSRGB(Pointer colorEncoding, int isGray);

        int JxlEncoderSetColorEncoding(Pointer enc, Pointer colorEncoding);

        int JxlEncoderSetICCProfile(Pointer enc, byte[] icc, long size);

        Pointer JxlEncoderFrameSettingsCreate(Pointer enc, Pointer source);

        int JxlEncoderSetFrameDistance(Pointer settings, float distance);

        int JxlEncoderSetFrameLossless(Pointer settings, int lossless);

        int JxlEncoderAddImageFrame(Pointer settings, Pointer pixelFormat, Pointer buffer, long size);

        int JxlEncoderStoreJPEGMetadata(Pointer enc, int store);

        int JxlEncoderAddJPEGFrame(Pointer settings, Pointer buffer, long size);

        void JxlEncoderCloseInput(Pointer enc);

        int JxlEncoderProcessOutput(Pointer enc, PointerByReference nextOut, LongByReference availOut);
    }

    static {
        Api api = null;
        String why = null;
        try {
            if (Native.SIZE_T_SIZE != 8) {
                throw new UnsatisfiedLinkError("this binding is for 64-bit platforms");
            }
            api = Native.load("libjxl.so.0.7", Api.class);
        } catch (LinkageError | RuntimeException e) {
            api = null;
            why = "libjxl 0.7 cannot be loaded (" + e.getMessage() + "): install the Debian/Ubuntu package " + PACKAGE;
        }
        API = api;
        UNAVAILABLE = why;
    }

    private JxlLibrary() {
    }

    static Optional<String> unavailable() {
        return Optional.ofNullable(UNAVAILABLE);
    }

    /** the library, or an IOException saying which package to install */
    static Api require() throws java.io.IOException {
        if (API == null) {
            throw new java.io.IOException(UNAVAILABLE);
        }
        return API;
    }

    /** whether these bytes start like a JPEG XL codestream or container */
    static boolean isJxl(byte[] data) {
        // a copy of the first bytes: JNA would copy the whole array to native memory
        byte[] start = java.util.Arrays.copyOf(data, Math.min(data.length, 16));
        int signature = API.JxlSignatureCheck(start, start.length);
        return signature == SIG_CODESTREAM || signature == SIG_CONTAINER;
    }

    /** a native JxlPixelFormat of 8-bit samples, native order, rows packed */
    static void eightBitFormat(Pointer format, int channels) {
        format.clear(PIXEL_FORMAT_SIZE);
        format.setInt(0, channels);
        format.setInt(4, TYPE_UINT8);
        format.setInt(8, NATIVE_ENDIAN);
        format.setLong(16, 0);
    }
}
