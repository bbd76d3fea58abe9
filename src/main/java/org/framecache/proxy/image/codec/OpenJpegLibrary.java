package org.framecache.proxy.image.codec;

import java.util.Optional;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few functions of libopenjp2 (OpenJPEG 2.x, Debian/Ubuntu package {@code libopenjp2-7}) that decoding a frame
 * from memory needs, loaded once. Loading never throws: when the library is missing, {@link #UNAVAILABLE} says why.
 * Struct offsets are those of openjpeg.h 2.5 on 64-bit Linux (the layouts have been stable since 2.1).
 */
final class OpenJpegLibrary {
    static final String PACKAGE = "libopenjp2-7";

    /** the bound library, or null when it could not be loaded */
    static final Api API;
    /** the library's own version string, e.g. 2.5.0, or null */
    static final String VERSION;
    /** null when loaded; else one line saying what to install */
    static final String UNAVAILABLE;

    static final int CODEC_J2K = 0;
    static final int CODEC_JP2 = 2;
    /** OPJ_COLOR_SPACE: a JP2 colr box saying sYCC */
    static final int CLRSPC_SYCC = 3;
    /** sizeof(opj_dparameters_t) is 8252 in 2.5; room to spare */
    static final int DECODER_PARAMETERS_SIZE = 16384;

    // opj_image_t
    static final int IMAGE_X0 = 0, IMAGE_Y0 = 4, IMAGE_X1 = 8, IMAGE_Y1 = 12, IMAGE_NUMCOMPS = 16,
            IMAGE_COLOR_SPACE = 20, IMAGE_COMPS = 24;
    // opj_image_comp_t
    static final int COMP_SIZE = 64, COMP_DX = 0, COMP_DY = 4, COMP_W = 8, COMP_H = 12, COMP_PREC = 24,
            COMP_SGND = 32, COMP_DATA = 48;

    interface ReadFunction extends Callback {
        long invoke(Pointer buffer, long bytes, Pointer userData);
    }

    interface SkipFunction extends Callback {
        long invoke(long bytes, Pointer userData);
    }

    interface SeekFunction extends Callback {
        int invoke(long position, Pointer userData);
    }

    interface MessageFunction extends Callback {
        void invoke(String message, Pointer clientData);
    }

    interface Api extends Library {
        String opj_version();

        Pointer opj_create_decompress(int format);

        void opj_destroy_codec(Pointer codec);

        void opj_set_default_decoder_parameters(Pointer parameters);

        int opj_setup_decoder(Pointer codec, Pointer parameters);

        int opj_decoder_set_strict_mode(Pointer codec, int strict);

        int opj_codec_set_threads(Pointer codec, int threads);

        int opj_set_error_handler(Pointer codec, MessageFunction handler, Pointer clientData);

        int opj_set_warning_handler(Pointer codec, MessageFunction handler, Pointer clientData);

        int opj_read_header(Pointer stream, Pointer codec, PointerByReference image);

        int opj_set_decoded_resolution_factor(Pointer codec, int factor);

        int opj_decode(Pointer codec, Pointer stream, Pointer image);

        int opj_end_decompress(Pointer codec, Pointer stream);

        void opj_image_destroy(Pointer image);

        Pointer opj_stream_create(long bufferSize, int isInput);

        void opj_stream_destroy(Pointer stream);

        void opj_stream_set_read_function(Pointer stream, ReadFunction read);

        void opj_stream_set_skip_function(Pointer stream, SkipFunction skip);

        void opj_stream_set_seek_function(Pointer stream, SeekFunction seek);

        void opj_stream_set_user_data(Pointer stream, Pointer data, Pointer freeFunction);

        void opj_stream_set_user_data_length(Pointer stream, long length);
    }

    static {
        Api api = null;
        String version = null;
        String why = null;
        try {
            if (Native.SIZE_T_SIZE != 8) {
                throw new UnsatisfiedLinkError("this binding is for 64-bit platforms");
            }
            api = Native.load("libopenjp2.so.7", Api.class);
            version = api.opj_version();
        } catch (LinkageError | RuntimeException e) {
            api = null;
            why = "libopenjp2 (OpenJPEG 2.5 or later) cannot be loaded (" + e.getMessage()
                    + "): install the Debian/Ubuntu package " + PACKAGE;
        }
        API = api;
        VERSION = version;
        UNAVAILABLE = why;
    }

    private OpenJpegLibrary() {
    }

    /** empty when libopenjp2 2.5 or later is loaded (2.5 is the first that decodes HTJ2K and has strict mode) */
    static Optional<String> unavailable() {
        if (UNAVAILABLE != null) {
            return Optional.of(UNAVAILABLE);
        }
        if (!atLeast(2, 5)) {
            return Optional.of("libopenjp2 " + VERSION + " is older than 2.5: install the Debian/Ubuntu package "
                    + PACKAGE + " of version 2.5 or later");
        }
        return Optional.empty();
    }

    /** whether the loaded library is at least this major.minor */
    static boolean atLeast(int major, int minor) {
        if (VERSION == null) {
            return false;
        }
        String[] parts = VERSION.split("[^0-9]+");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
