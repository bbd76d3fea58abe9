package org.framecache.proxy.dicom;

import java.util.Map;

/**
 * The transfer syntax UIDs the proxy knows (PS3.6 Table A-1), defined here and nowhere else, and which media type
 * carries which of them in DICOMweb (PS3.18 Table 8.7.3-5 and §8.7.3.3.1).
 */
public final class TransferSyntaxes {
    public static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    public static final String DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
    public static final String EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";
    /** The root the JPEG family's UIDs (.4.50 to .4.203) share, process number after it. */
    public static final String JPEG_FAMILY_ROOT = "1.2.840.10008.1.2.4.";
    public static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    public static final String JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
    public static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
    public static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
    public static final String JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";
    public static final String JPEG_LS_NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81";
    public static final String JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
    public static final String JPEG_2000 = "1.2.840.10008.1.2.4.91";
    public static final String JPEG_2000_MC_LOSSLESS = "1.2.840.10008.1.2.4.92";
    public static final String JPEG_2000_MC = "1.2.840.10008.1.2.4.93";
    public static final String JPIP_REFERENCED_DEFLATE = "1.2.840.10008.1.2.4.95";
    public static final String JPEG_XL_LOSSLESS = "1.2.840.10008.1.2.4.110";
    public static final String JPEG_XL_JPEG_RECOMPRESSION = "1.2.840.10008.1.2.4.111";
    public static final String JPEG_XL = "1.2.840.10008.1.2.4.112";
    public static final String HTJ2K_LOSSLESS = "1.2.840.10008.1.2.4.201";
    public static final String HTJ2K_LOSSLESS_RPCL = "1.2.840.10008.1.2.4.202";
    public static final String HTJ2K = "1.2.840.10008.1.2.4.203";
    public static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";

    /** The RESTful default syntax of each media type, when a client names the type without a syntax. */
    private static final Map<String, String> DEFAULT_FOR_MEDIA_TYPE = Map.of(
            "application/octet-stream", EXPLICIT_VR_LITTLE_ENDIAN,
            "image/jpeg", JPEG_LOSSLESS_SV1,
            "image/jls", JPEG_LS_LOSSLESS,
            "image/jp2", JPEG_2000_LOSSLESS,
            "image/jpx", JPEG_2000_MC_LOSSLESS,
            "image/jxl", JPEG_XL_LOSSLESS,
            "image/jphc", HTJ2K_LOSSLESS,
            "image/dicom-rle", RLE_LOSSLESS);

    private static final Map<String, String> MEDIA_TYPE_FOR_SYNTAX = Map.ofEntries(
            Map.entry(EXPLICIT_VR_LITTLE_ENDIAN, "application/octet-stream"),
            Map.entry(IMPLICIT_VR_LITTLE_ENDIAN, "application/octet-stream"),
            Map.entry(EXPLICIT_VR_BIG_ENDIAN, "application/octet-stream"),
            Map.entry(DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, "application/octet-stream"),
            Map.entry(JPEG_BASELINE, "image/jpeg"),
            Map.entry(JPEG_EXTENDED, "image/jpeg"),
            Map.entry(JPEG_LOSSLESS, "image/jpeg"),
            Map.entry(JPEG_LOSSLESS_SV1, "image/jpeg"),
            Map.entry(JPEG_LS_LOSSLESS, "image/jls"),
            Map.entry(JPEG_LS_NEAR_LOSSLESS, "image/jls"),
            Map.entry(JPEG_2000_LOSSLESS, "image/jp2"),
            Map.entry(JPEG_2000, "image/jp2"),
            Map.entry(JPEG_2000_MC_LOSSLESS, "image/jpx"),
            Map.entry(JPEG_2000_MC, "image/jpx"),
            Map.entry(JPEG_XL_LOSSLESS, "image/jxl"),
            Map.entry(JPEG_XL_JPEG_RECOMPRESSION, "image/jxl"),
            Map.entry(JPEG_XL, "image/jxl"),
            Map.entry(HTJ2K_LOSSLESS, "image/jphc"),
            Map.entry(HTJ2K_LOSSLESS_RPCL, "image/jphc"),
            Map.entry(HTJ2K, "image/jphc"),
            Map.entry(RLE_LOSSLESS, "image/dicom-rle"));

    private TransferSyntaxes() {
    }

    /** Canonical spelling of a pixel-data media type: {@code image/jhc} → {@code image/jphc}, old RLE name. */
    public static String canonicalMediaType(String essence) {
        return switch (essence) {
            case "image/jhc" -> "image/jphc";
            case "image/x-dicom-rle" -> "image/dicom-rle";
            default -> essence;
        };
    }

    /** Default syntax for a media type, or null when the type carries no pixel data we know. */
    public static String defaultSyntax(String mediaType) {
        return DEFAULT_FOR_MEDIA_TYPE.get(canonicalMediaType(mediaType));
    }

    /** Media type that carries the given syntax, or null for an unknown syntax. */
    public static String mediaTypeOf(String transferSyntax) {
        return MEDIA_TYPE_FOR_SYNTAX.get(transferSyntax);
    }
}
