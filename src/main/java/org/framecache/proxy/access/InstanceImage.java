package org.framecache.proxy.access;

import org.framecache.proxy.image.PixelFormat;

/**
 * What an instance's metadata says of its pixels, read with the access check (the same answer): how a frame is laid
 * out, and where its ICC profile is (PS3.3 C.11.15: ICC Profile (0028,2000) at top level or in the first item of the
 * Optical Path Sequence (0048,0105)), inline or as a bulk data URI.
 *
 * @param format          null when the metadata does not describe the pixels fully
 * @param iccInline       the profile when the metadata carries it (InlineBinary), else null
 * @param iccBulkDataUri  where the store serves the profile (BulkDataURI), else null
 * @param totalColumns    TotalPixelMatrixColumns (0048,0006), 0 when absent
 * @param totalRows       TotalPixelMatrixRows (0048,0007), 0 when absent
 * @param tiledFull       DimensionOrganizationType (0020,9311) is TILED_FULL: frame n is tile n in row-major order
 */
public record InstanceImage(PixelFormat format, byte[] iccInline, String iccBulkDataUri, long totalColumns,
        long totalRows, boolean tiledFull) {

    public InstanceImage(PixelFormat format, byte[] iccInline, String iccBulkDataUri) {
        this(format, iccInline, iccBulkDataUri, 0, 0, false);
    }

    /** True when the instance names an ICC profile somewhere. */
    public boolean hasIccProfile() {
        return iccInline != null || iccBulkDataUri != null;
    }
}
