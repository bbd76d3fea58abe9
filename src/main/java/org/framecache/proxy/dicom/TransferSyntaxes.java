package org.framecache.proxy.dicom;

import java.util.Map;

/** Which media type carries which transfer syntax in DICOMweb (PS3.18 Table 8.7.3-5 and §8.7.3.3.1). */
public final class TransferSyntaxes {
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    public static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";

    /** The RESTful default syntax of each media type, when a client names the type without a syntax. */
    private static final Map<String, String> DEFAULT_FOR_MEDIA_TYPE = Map.of(
            "application/octet-stream", EXPLICIT_VR_LITTLE_ENDIAN,
            "image/jpeg", "1.2.840.10008.1.2.4.70",
            "image/jls", "1.2.840.10008.1.2.4.80",
            "image/jp2", "1.2.840.10008.1.2.4.90",
            "image/jpx", "1.2.840.10008.1.2.4.92",
            "image/jxl", "1.2.840.10008.1.2.4.110",
            "image/jphc", "1.2.840.10008.1.2.4.201",
            "image/dicom-rle", "1.2.840.10008.1.2.5");

    private static final Map<String, String> MEDIA_TYPE_FOR_SYNTAX = Map.ofEntries(
            Map.entry(EXPLICIT_VR_LITTLE_ENDIAN, "application/octet-stream"),
            Map.entry("1.2.840.10008.1.2", "application/octet-stream"),
            Map.entry("1.2.840.10008.1.2.2", "application/octet-stream"),
            Map.entry("1.2.840.10008.1.2.1.99", "application/octet-stream"),
            Map.entry(JPEG_BASELINE, "image/jpeg"),
            Map.entry("1.2.840.10008.1.2.4.51", "image/jpeg"),
            Map.entry("1.2.840.10008.1.2.4.57", "image/jpeg"),
            Map.entry("1.2.840.10008.1.2.4.70", "image/jpeg"),
            Map.entry("1.2.840.10008.1.2.4.80", "image/jls"),
            Map.entry("1.2.840.10008.1.2.4.81", "image/jls"),
            Map.entry("1.2.840.10008.1.2.4.90", "image/jp2"),
            Map.entry("1.2.840.10008.1.2.4.91", "image/jp2"),
            Map.entry("1.2.840.10008.1.2.4.92", "image/jpx"),
            Map.entry("1.2.840.10008.1.2.4.93", "image/jpx"),
            Map.entry("1.2.840.10008.1.2.4.110", "image/jxl"),
            Map.entry("1.2.840.10008.1.2.4.111", "image/jxl"),
            Map.entry("1.2.840.10008.1.2.4.112", "image/jxl"),
            Map.entry("1.2.840.10008.1.2.4.201", "image/jphc"),
            Map.entry("1.2.840.10008.1.2.4.202", "image/jphc"),
            Map.entry("1.2.840.10008.1.2.4.203", "image/jphc"),
            Map.entry("1.2.840.10008.1.2.5", "image/dicom-rle"));

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
